import { toHex } from '../../../common/bytes.js';
import type { CryptoBackend } from '../../../protocol/crypto/crypto-backend.js';
import type { Envelope, Signer } from '../../../protocol/envelope.js';
import { signPart } from '../../../protocol/signed-part.js';
import { TICKET_CERTIFICATE_TYPE, type TicketCertificateBody } from '../model/ticket-certificate.js';

export interface CertifiedTicketKey {
  /** The ticket signature private key (Ed25519 seed) the terminal signs the ticket's status with. */
  readonly signingSecretKey: Uint8Array;
  readonly signingPublicKey: Uint8Array;
  /** The certificate 1903: the SP-signed `ticketCertificate` part. */
  readonly certificate: Uint8Array;
  readonly body: TicketCertificateBody;
}

export interface TicketKeyRequest {
  readonly ticketId: string;
  readonly ticketCode: string;
  readonly holder: string;
  /** false at generation ([1605]), true for the registered ticket certificate ([1625]). */
  readonly registered: boolean;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly now: number;
}

/**
 * A fresh ticket signature key pair and the SP's certificate of its public half ([1604]-[1605], [1625]). The service
 * provider's signer signs the certificate; its key ID is the SP's ID, which the certificate names.
 */
export function certifyNewTicketKey(deps: { readonly envelope: Envelope; readonly crypto: CryptoBackend; readonly spSigner: Signer }, request: TicketKeyRequest): CertifiedTicketKey {
  const signingSecretKey = deps.crypto.randomBytes(32);
  const signingPublicKey = deps.crypto.ed25519PublicKey(signingSecretKey);
  const body: TicketCertificateBody = {
    certificateId: toHex(deps.crypto.randomBytes(16)),
    ticketId: request.ticketId,
    ticketCode: request.ticketCode,
    signingPublicKey,
    registered: request.registered,
    holder: request.holder,
    validFrom: request.validFrom,
    validUntil: request.validUntil,
    serviceProviderId: deps.spSigner.kid,
    issuedAt: request.now,
  };
  return { signingSecretKey, signingPublicKey, certificate: signPart(deps.envelope, TICKET_CERTIFICATE_TYPE, body, [deps.spSigner]), body };
}
