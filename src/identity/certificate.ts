import { z } from 'zod';
import { decodeStrict } from '../protocol/cbor.js';
import type { Envelope, Signer } from '../protocol/envelope.js';
import { bytes } from '../protocol/message.js';

export const CERTIFICATE_TYPE = 'publicKeyCertificate';

/** A public-key certificate signed by the service provider (cf. the user public key certificate of [1672]). */
export const certificateBodySchema = z
  .object({
    id: z.string(),
    subject: z.string(),
    signingPublicKey: bytes(32),
    sealingPublicKey: bytes(32),
    validFrom: z.number().int(),
    validUntil: z.number().int(),
    issuer: z.string(),
    issuedAt: z.number().int(),
  })
  .strict();
export type CertificateBody = z.infer<typeof certificateBodySchema>;

export function signCertificate(envelope: Envelope, body: CertificateBody, sp: Signer): Uint8Array {
  return envelope.sign(CERTIFICATE_TYPE, body, [sp]);
}

/** Verifies a certificate frame against the service provider's public key; returns its body or undefined. */
export function verifyCertificate(envelope: Envelope, frameBytes: Uint8Array, spPublicKey: Uint8Array, at: number): CertificateBody | undefined {
  try {
    const frame = envelope.decodeFrame(frameBytes);
    if (frame.t !== 'signed' || frame.s.length !== 1) return undefined;
    const body = certificateBodySchema.safeParse(decodeStrict(frame.b));
    const signature = frame.s[0];
    if (!body.success || signature === undefined || signature.kid !== body.data.issuer) return undefined;
    if (!envelope.verify(CERTIFICATE_TYPE, frame.b, signature.sig, spPublicKey)) return undefined;
    if (at < body.data.validFrom || at > body.data.validUntil) return undefined;
    return body.data;
  } catch {
    return undefined;
  }
}
