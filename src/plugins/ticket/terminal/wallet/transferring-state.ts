import { z } from 'zod';
import { bytes } from '../../../../protocol/message.js';
import { ticketId } from '../../model/ticket-information.js';
import { ticketStatus, variableTicketInformation } from '../../model/ticket-status.js';
import { acceptanceNumber, certificateId, transferNumber } from '../../transfer/transfer.messages.js';
import type { WalletState } from './wallet-state.js';

export const TRANSFERRING_PROCESS = 'ticket-transferring';

/** The other user, as their user public key certificate names them. */
const counterpart = z.object({ userId: z.string(), certificateId, signingPublicKey: bytes(32), sealingPublicKey: bytes(32) }).strict();
export type Counterpart = z.infer<typeof counterpart>;

/** User A's side: an offer made, then the certificate given, until the receipt comes ([1670]-[1683]). */
export const outgoingTransfer = z
  .object({
    transferOfferNumber: transferNumber,
    ticketId,
    toTerminalId: z.string(),
    offeredAt: z.number().int().nonnegative(),
    stage: z.enum(['offered', 'certified']),
    recipient: counterpart.nullable(),
    acceptanceNumber: transferNumber.nullable(),
  })
  .strict();
export type OutgoingTransfer = z.infer<typeof outgoingTransfer>;

/**
 * User B's side: an offer shown (7402), answered, the certificate received (7409), the request to the SP made at once or
 * deferred to the next data update ([1685]), and the SP's answer.
 */
export const incomingTransfer = z
  .object({
    transferOfferNumber: transferNumber,
    ticketId,
    ticketCode: z.string(),
    title: z.string(),
    sender: counterpart,
    senderTerminalId: z.string(),
    ticketSigningPublicKey: bytes(32),
    presentationTicket: bytes(),
    ticketStatus,
    variableTicketInformation,
    receivedAt: z.number().int().nonnegative(),
    stage: z.enum(['offered', 'accepted', 'certified', 'requested', 'deferred', 'refused']),
    acceptanceNumber: acceptanceNumber.nullable(),
    /** The decrypted ticket transfer certificate 11811 (7406's signed frame), kept for the transfer request. */
    transferCertificate: bytes().nullable(),
    reason: z.string().nullable(),
  })
  .strict();
export type IncomingTransfer = z.infer<typeof incomingTransfer>;

export const transferringState = z.object({ outgoing: z.array(outgoingTransfer), incoming: z.array(incomingTransfer) }).strict();
export type TransferringState = z.infer<typeof transferringState>;

/** Bound on remembered offers each way: a terminal never keeps an unbounded list of strangers' offers. */
export const MAX_PENDING_TRANSFERS = 32;

export function readTransferring(state: WalletState): TransferringState {
  const raw = state.processes[TRANSFERRING_PROCESS];
  if (raw === undefined) return { outgoing: [], incoming: [] };
  return transferringState.parse(raw);
}

export function withTransferring(state: WalletState, next: TransferringState): WalletState {
  return { ...state, processes: { ...state.processes, [TRANSFERRING_PROCESS]: next } };
}
