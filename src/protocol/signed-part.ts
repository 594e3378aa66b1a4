import type { z } from 'zod';
import { decodeStrict } from './cbor.js';
import type { Envelope, Signer } from './envelope.js';

/**
 * A signed structure inside a message: the spec's ticket data signed by the issuer, certificates signed by the service
 * provider, clearing information signed by the transaction processor. It travels as the bytes of a signed frame, so
 * the receiver checks the very bytes that were signed. `type` is the signature domain: a part signed as one type never
 * verifies as another.
 */
export function signPart(envelope: Envelope, type: string, body: unknown, signers: readonly Signer[]): Uint8Array {
  return envelope.sign(type, body, signers);
}

export type OpenedPart<T> = { readonly ok: true; readonly body: T; readonly signers: readonly string[] } | { readonly ok: false; readonly reason: string };

/**
 * Decodes a signed part, validates its body and checks that every key in `required` signed it.
 * `keyOf` returns the public key of a signer's key ID, or undefined when the receiver does not trust that key.
 */
export function openPart<S extends z.ZodType>(
  envelope: Envelope,
  type: string,
  bytes: Uint8Array,
  schema: S,
  required: readonly string[],
  keyOf: (kid: string) => Uint8Array | undefined,
): OpenedPart<z.infer<S>> {
  let frame;
  try {
    frame = envelope.decodeFrame(bytes);
  } catch {
    return { ok: false, reason: `${type}: not a signed frame` };
  }
  if (frame.t !== 'signed') return { ok: false, reason: `${type}: not a signed frame` };
  let decoded: unknown;
  try {
    decoded = decodeStrict(frame.b);
  } catch {
    return { ok: false, reason: `${type}: malformed body` };
  }
  const body = schema.safeParse(decoded);
  if (!body.success) return { ok: false, reason: `${type}: ${body.error.issues[0]?.path.join('.') ?? ''} ${body.error.issues[0]?.message ?? 'invalid'}` };
  for (const kid of required) {
    const entry = frame.s.find((signature) => signature.kid === kid);
    if (entry === undefined) return { ok: false, reason: `${type}: missing signature of ${kid}` };
    const key = keyOf(kid);
    if (key === undefined) return { ok: false, reason: `${type}: signer ${kid} is not trusted` };
    if (!envelope.verify(type, frame.b, entry.sig, key)) return { ok: false, reason: `${type}: signature of ${kid} does not verify` };
  }
  return { ok: true, body: body.data as z.infer<S>, signers: required };
}
