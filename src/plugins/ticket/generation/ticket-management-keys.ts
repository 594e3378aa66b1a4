import { toBase64 } from '../../../common/bytes.js';
import type { CryptoBackend } from '../../../protocol/crypto/crypto-backend.js';
import { TicketManagementEntity } from '../persistence/ticket-management.entity.js';

export interface NewTicketManagement {
  readonly ticketCode: string;
  readonly ticketName: string;
  readonly issuerId: string;
  readonly templateCode: string;
  readonly validUntil: number;
  readonly now: number;
}

function sealingPair(crypto: CryptoBackend): { publicKey: string; secretKey: string } {
  const secretKey = crypto.randomBytes(32);
  return { publicKey: toBase64(crypto.x25519PublicKey(secretKey)), secretKey: toBase64(secretKey) };
}

/**
 * Electronic ticket management information 5300 for a ticket code an issuer commissions for the first time: a fresh
 * ticket key pair (5309) and gate key pair (5310), both X25519 sealing pairs (test patterns are sealed to them).
 */
export function newTicketManagement(crypto: CryptoBackend, input: NewTicketManagement): TicketManagementEntity {
  const ticket = sealingPair(crypto);
  const gate = sealingPair(crypto);
  return Object.assign(new TicketManagementEntity(), {
    ticketCode: input.ticketCode,
    ticketName: input.ticketName,
    issuerId: input.issuerId,
    templateCode: input.templateCode,
    ticketPublicKey: ticket.publicKey,
    ticketPrivateKey: ticket.secretKey,
    gatePublicKey: gate.publicKey,
    gatePrivateKey: gate.secretKey,
    validUntil: input.validUntil,
    createdAt: input.now,
  });
}
