/**
 * Every reason an inbound message can be refused. The inbound pipeline checks in this order:
 * bytes -> decode -> schema -> addressee -> freshness -> signature(s) -> lookup -> actor.
 */
export const REJECTION_REASONS = [
  'malformed', // bytes that are not a Tessera frame or CBOR that does not decode
  'unknown-type', // a message type no registered schema knows
  'schema', // fields missing, extra or of the wrong type
  'wrong-addressee', // sealed or signed for someone else
  'undecryptable', // AEAD tag or key agreement failed
  'stale', // issued time outside the allowed skew, or validity term over
  'replay', // a message or number already seen
  'bad-signature', // missing, forged or by a key the signer does not hold
  'unknown-principal', // signer, sender or addressee not registered
  'sender-mismatch', // the transport says one device, the message another
  'disabled', // the device or party is disabled or its terminal use-disabled
  'revoked', // a certificate was revoked or has expired
  'refused', // the receiving process refuses it in its current state
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** A refusal of inbound data. Thrown inside the pipeline, caught at the boundary, audited, never past it. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly reason: RejectionReason,
    message: string,
    readonly details: Readonly<Record<string, string | number | boolean>> = {},
  ) {
    super(`${reason}: ${message}`);
  }
}

export function isProtocolError(error: unknown): error is ProtocolError {
  return error instanceof ProtocolError;
}

/** A broken invariant: a bug, never bad input. */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}
