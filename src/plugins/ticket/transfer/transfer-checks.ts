import { decodeStrict } from '../../../protocol/cbor.js';
import type { Envelope } from '../../../protocol/envelope.js';
import { openPart } from '../../../protocol/signed-part.js';
import { verifyCertificate, type CertificateBody } from '../../../identity/certificate.js';
import { TICKET_CERTIFICATE_TYPE, ticketCertificateBody, type TicketCertificateBody } from '../model/ticket-certificate.js';
import { ticketDataBody, type TicketDataBody } from '../model/ticket-information.js';

/** The service provider a terminal trusts: its ID and signature public key, from the terminal's credentials. */
export interface TrustedServiceProvider {
  readonly id: string;
  readonly signingPublicKey: Uint8Array;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const refused = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/**
 * A user public key certificate ([1672], [1676]): the SP's signature and the validity term at `at`; it must certify a
 * user (not a device or a merchant).
 */
export function checkUserCertificate(envelope: Envelope, certificate: Uint8Array, sp: TrustedServiceProvider, at: number): Checked<CertificateBody> {
  const body = verifyCertificate(envelope, certificate, sp.signingPublicKey, at);
  if (body === undefined) return refused('user public key certificate: SP signature or validity term does not hold');
  if (body.issuer !== sp.id) return refused(`user public key certificate issued by ${body.issuer}, not ${sp.id}`);
  if (!body.subject.startsWith('usr:')) return refused(`user public key certificate certifies ${body.subject}, not a user`);
  return { ok: true, value: body };
}

/** A ticket certificate 1903: signed by the SP and within its validity term at `at`. */
export function checkTicketCertificate(envelope: Envelope, certificate: Uint8Array, sp: TrustedServiceProvider, at: number): Checked<TicketCertificateBody> {
  const opened = openPart(envelope, TICKET_CERTIFICATE_TYPE, certificate, ticketCertificateBody, [sp.id], (kid) => (kid === sp.id ? sp.signingPublicKey : undefined));
  if (!opened.ok) return refused(opened.reason);
  if (opened.body.serviceProviderId !== sp.id) return refused(`ticket certificate of ${opened.body.serviceProviderId}`);
  if (at < opened.body.validFrom || at > opened.body.validUntil) return refused('ticket certificate outside its validity term');
  return { ok: true, value: opened.body };
}

/**
 * The presentation ticket 1902: issuer-signed ticket data. A terminal holds no issuer keys, so it checks the structure,
 * that the issuer named in the data signed it, and (the caller) that it names the certified ticket; the service
 * providing system verifies the issuer's signature itself (see transfer-certificate-verifier.ts).
 */
export function readPresentationTicket(envelope: Envelope, presentationTicket: Uint8Array): Checked<{ body: TicketDataBody; issuerSignature: Uint8Array; bodyBytes: Uint8Array }> {
  try {
    const frame = envelope.decodeFrame(presentationTicket);
    if (frame.t !== 'signed') return refused('presentation ticket: not a signed frame');
    const body = ticketDataBody.safeParse(decodeStrict(frame.b));
    if (!body.success) return refused('presentation ticket: not ticket data');
    const signature = frame.s.find((entry) => entry.kid === body.data.issuerId);
    if (signature === undefined) return refused(`presentation ticket: not signed by its issuer ${body.data.issuerId}`);
    return { ok: true, value: { body: body.data, issuerSignature: signature.sig, bodyBytes: frame.b } };
  } catch {
    return refused('presentation ticket: undecodable');
  }
}
