import { decodeStrict } from '../../../protocol/cbor.js';
import type { Envelope } from '../../../protocol/envelope.js';
import { headerSchema, type FieldsOf } from '../../../protocol/message.js';
import type { Checked } from './transfer-checks.js';
import { ticketTransferCertificate } from './transfer.messages.js';

/** A decrypted ticket transfer certificate 11811 as the SP reads it: its header, fields and signatures, not yet checked. */
export interface ReadTransferCertificate {
  readonly from: string;
  readonly to: string;
  readonly issuedAt: number;
  readonly fields: FieldsOf<typeof ticketTransferCertificate>;
  readonly bodyBytes: Uint8Array;
  readonly signatures: readonly { readonly kid: string; readonly sig: Uint8Array }[];
}

/** Decodes the signed frame of a 7406 and validates its header and fields; signatures are checked by `signedBy`. */
export function readTransferCertificate(envelope: Envelope, certificate: Uint8Array): Checked<ReadTransferCertificate> {
  try {
    const frame = envelope.decodeFrame(certificate);
    if (frame.t !== 'signed') return { ok: false, reason: 'transfer certificate is not a signed frame' };
    const header = headerSchema.safeParse(decodeStrict(frame.b));
    if (!header.success || header.data.type !== ticketTransferCertificate.type) return { ok: false, reason: 'not a ticket transfer certificate' };
    const fields = ticketTransferCertificate.fields.safeParse(header.data.fields);
    if (!fields.success) return { ok: false, reason: `transfer certificate fields: ${fields.error.issues[0]?.path.join('.') ?? ''}` };
    return { ok: true, value: { from: header.data.from, to: header.data.to, issuedAt: header.data.issuedAt, fields: fields.data, bodyBytes: frame.b, signatures: frame.s } };
  } catch {
    return { ok: false, reason: 'transfer certificate undecodable' };
  }
}

/** Whether `kid` signed the certificate with the key `publicKey` (the signature domain is the message type's). */
export function signedBy(envelope: Envelope, certificate: ReadTransferCertificate, kid: string, publicKey: Uint8Array): boolean {
  const entry = certificate.signatures.find((signature) => signature.kid === kid);
  return entry !== undefined && envelope.verify(ticketTransferCertificate.type, certificate.bodyBytes, entry.sig, publicKey);
}
