import type { z } from 'zod';
import { decodeStrict } from '../../../protocol/cbor.js';
import type { Envelope, Signer, SignedFrame } from '../../../protocol/envelope.js';
import { ProtocolError } from '../../../protocol/errors.js';
import type { DeviceId } from '../../../protocol/ids.js';
import { headerSchema, type Message, type MessageDefinition } from '../../../protocol/message.js';

/** A message over the proximity link: the two devices in the header, the signers its definition asks for. */
export type ProximityMessage<F = unknown> = Message<string, F> & { readonly from: DeviceId; readonly to: DeviceId };

export interface OpenedProximityFrame<F = unknown> {
  readonly message: ProximityMessage<F>;
  readonly frame: SignedFrame;
}

/**
 * Composes a proximity message: the same body shape and domain-separated signatures as every Tessera message, but
 * signed by the keys the spec names for it (a ticket's key, a user's, a gate's) rather than by `from`, and not sealed.
 */
export function composeProximity<S extends z.ZodType>(
  envelope: Envelope,
  definition: MessageDefinition<string, S>,
  header: { readonly id: string; readonly from: DeviceId; readonly to: DeviceId; readonly issuedAt: number; readonly fields: z.infer<S> },
  signers: readonly Signer[],
): Uint8Array {
  const message = { v: 1 as const, type: definition.type, id: header.id, from: header.from, to: header.to, issuedAt: header.issuedAt, fields: definition.fields.parse(header.fields) };
  return envelope.sign(definition.type, message, signers);
}

/**
 * Decodes a proximity frame and validates it against its definition: signed frame, header, schema, addressee and
 * freshness. Signatures are checked by the receiver (`verifyProximitySigner`), which knows which keys it trusts.
 */
export function openProximity(envelope: Envelope, bytes: Uint8Array, definitions: readonly MessageDefinition[], me: DeviceId, now: number, maxSkewMs: number): OpenedProximityFrame {
  const frame = envelope.decodeFrame(bytes);
  if (frame.t !== 'signed') throw new ProtocolError('malformed', 'a proximity frame is signed, not sealed');
  const header = headerSchema.safeParse(decodeStrict(frame.b));
  if (!header.success) throw new ProtocolError('schema', `header: ${header.error.issues[0]?.message ?? 'invalid'}`);
  const definition = definitions.find((candidate) => candidate.type === header.data.type);
  if (definition === undefined) throw new ProtocolError('unknown-type', `no proximity message '${header.data.type}'`, { type: header.data.type });
  const fields = definition.fields.safeParse(header.data.fields);
  if (!fields.success) {
    const issue = fields.error.issues[0];
    throw new ProtocolError('schema', `${definition.type}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { type: definition.type });
  }
  const message = { ...header.data, fields: fields.data } as ProximityMessage;
  if (message.to !== me) throw new ProtocolError('wrong-addressee', `addressed to ${message.to}`, { type: message.type });
  if (!message.from.startsWith('dev:')) throw new ProtocolError('schema', 'a proximity message comes from a device', { type: message.type });
  if (Math.abs(now - message.issuedAt) > maxSkewMs) throw new ProtocolError('stale', `issued ${now - message.issuedAt} ms from now`, { type: message.type });
  return { message, frame };
}

/** Checks that `kid` signed the frame and that the signature verifies under `publicKey`. */
export function proximitySignatureVerifies(envelope: Envelope, frame: SignedFrame, type: string, kid: string, publicKey: Uint8Array): boolean {
  const entry = frame.s.find((signature) => signature.kid === kid);
  return entry !== undefined && envelope.verify(type, frame.b, entry.sig, publicKey);
}

/** Whether the frame carries a signature naming `kid` (for a key the receiver cannot check itself). */
export function carriesSignatureOf(frame: SignedFrame, kid: string): boolean {
  return frame.s.some((signature) => signature.kid === kid);
}
