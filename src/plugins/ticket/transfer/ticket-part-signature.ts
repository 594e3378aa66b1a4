import { encodeCanonical } from '../../../protocol/cbor.js';
import type { CryptoBackend } from '../../../protocol/crypto/crypto-backend.js';
import { signingInput } from '../../../protocol/envelope.js';
import type { TicketStatus, VariableTicketInformation } from '../model/ticket-status.js';

/** Signature domain of the ticket's own signature in a transfer offer: it never verifies as anything else. */
export const OFFER_TICKET_PART_TYPE = 'ticketTransferOfferTicketPart';

/** What the electronic ticket signs in a ticket transfer offer 7401 ([1671]): status, variable information, ID, issued time. */
export interface OfferTicketPart {
  readonly ticketStatus: TicketStatus;
  readonly variableTicketInformation: VariableTicketInformation;
  readonly ticketId: string;
  readonly issuedAt: number;
}

const input = (part: OfferTicketPart): Uint8Array =>
  signingInput(OFFER_TICKET_PART_TYPE, encodeCanonical({ ticketStatus: part.ticketStatus, variableTicketInformation: part.variableTicketInformation, ticketId: part.ticketId, issuedAt: part.issuedAt }));

export function signOfferTicketPart(crypto: CryptoBackend, part: OfferTicketPart, ticketSigningSecretKey: Uint8Array): Uint8Array {
  return crypto.ed25519Sign(input(part), ticketSigningSecretKey);
}

export function verifyOfferTicketPart(crypto: CryptoBackend, part: OfferTicketPart, signature: Uint8Array, ticketSigningPublicKey: Uint8Array): boolean {
  try {
    return crypto.ed25519Verify(signature, input(part), ticketSigningPublicKey);
  } catch {
    return false;
  }
}
