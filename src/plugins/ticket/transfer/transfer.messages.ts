import { createHash } from 'node:crypto';
import { z } from 'zod';
import { bytes, defineMessage } from '../../../protocol/message.js';
import { electronicTicket } from '../model/electronic-ticket.js';
import { ticketKid } from '../model/ticket-certificate.js';
import { ticketId } from '../model/ticket-information.js';
import { ticketStatus, variableTicketInformation } from '../model/ticket-status.js';

/** Transfer offer numbers, acceptance numbers and transfer numbers: arbitrary, unique, 128 random bits as hex. */
export const transferNumber = z.string().regex(/^[0-9a-f]{32}$/, 'a 32-digit hex number');
/** Acceptance number 11717: '0' when user B refuses the offer ([1677]); any other value accepts it. */
export const acceptanceNumber = z.string().regex(/^(0|[0-9a-f]{32})$/, "'0' or a 32-digit hex number");
export const REFUSED = '0';
/** The ID of a user public key certificate (11712, 11724): the certificate table's ID. */
export const certificateId = z.string().min(1).max(64);
const userId = z.string().startsWith('usr:');

/**
 * Ticket transfer offer 7401 [1671], user A's terminal to user B's over the proximity link; signed by user A, not
 * sealed (the spec does not close it). The issued time 11707 is the header's issued time. `ticketSignature` is the
 * electronic ticket's signature (ticket signature private key) over the ticket status, variable ticket information,
 * ticket ID and issued time (see ticket-part-signature.ts). Addressed to B's terminal: A knows only the device it
 * points at until B's response names B.
 */
export const ticketTransferOffer = defineMessage({
  type: 'ticketTransferOffer',
  ref: '7401 [1671]',
  sealed: false,
  fields: z
    .object({
      transferOfferNumber: transferNumber, // 11701
      presentationTicket: bytes(), // 11702
      ticketCertificate: bytes(), // 11703
      ticketStatus, // 11704
      variableTicketInformation, // 11705
      ticketId, // 11706
      ticketSignature: bytes(64),
      userPublicKeyCertificate: bytes(), // 11709, user A's
      /** User A's terminal, where B's terminal answers: the proximity link carries no sender address. */
      terminalId: z.string().startsWith('dev:mobile:'),
    })
    .strict(),
  numbers: (message) => [{ scope: `ticketTransferOffer:${message.from}`, value: message.fields.transferOfferNumber }],
});

/** Ticket transfer offer response 7404 [1675]: user B to user A, signed by user B; acceptance number '0' refuses. */
export const ticketTransferOfferResponse = defineMessage({
  type: 'ticketTransferOfferResponse',
  ref: '7404 [1675]',
  sealed: false,
  fields: z
    .object({
      acceptanceNumber, // 11717
      transferOfferNumber: transferNumber, // 11718
      ticketId, // 11719
      userPublicKeyCertificate: bytes(), // 11721, user B's
    })
    .strict(),
  numbers: (message) => (message.fields.acceptanceNumber === REFUSED ? [] : [{ scope: `ticketTransferAcceptance:${message.from}`, value: message.fields.acceptanceNumber }]),
});

/**
 * Ticket transfer certificate 7406 [1679]: user A to user B, signed by the electronic ticket (its signature key) and by
 * user A, closed and addressed to user B. B keeps the signed frame (the decrypted certificate 11811) for the transfer
 * request.
 */
export const ticketTransferCertificate = defineMessage({
  type: 'ticketTransferCertificate',
  ref: '7406 [1679]',
  sealed: true,
  fields: z
    .object({
      presentationTicket: bytes(), // 11801
      ticketStatus, // 11802
      variableTicketInformation, // 11803
      transferOfferNumber: transferNumber, // 11804
      acceptanceNumber: transferNumber, // 11805 (never 0: a refused offer gets no certificate)
      recipientCertificateId: certificateId, // 11806, user B's
      senderCertificateId: certificateId, // 11807, user A's
      ticketId, // 11808
    })
    .strict(),
  extraSigners: (message) => [ticketKid(message.fields.ticketId)],
});

/** Ticket transfer receipt 7407 [1681]: user B to user A, signed by user B, closed and addressed to user A. */
export const ticketTransferReceipt = defineMessage({
  type: 'ticketTransferReceipt',
  ref: '7407 [1681]',
  sealed: true,
  fields: z
    .object({
      ticketId, // 11816
      transferOfferNumber: transferNumber, // 11817
      acceptanceNumber: transferNumber, // 11818
      senderCertificateId: certificateId, // 11819, user A's
      recipientCertificateId: certificateId, // 11820, user B's
    })
    .strict(),
});

/** The replay key of a transfer certificate: one request per certificate and requester. */
export function transferCertificateDigest(certificate: Uint8Array): string {
  return createHash('sha256').update(certificate).digest('hex');
}

/**
 * Ticket transfer request 7411 [1687]: user B to the service providing system, signed by user B, closed and addressed
 * to the SP; carries the decrypted ticket transfer certificate (7406's signed frame).
 */
export const ticketTransferRequest = defineMessage({
  type: 'ticketTransferRequest',
  ref: '7411 [1687]',
  sealed: true,
  fields: z
    .object({
      ticketTransferCertificate: bytes(), // 11901
      userId, // 11902
    })
    .strict(),
  numbers: (message) => [{ scope: 'ticketTransferCertificate', value: `${message.fields.userId}:${transferCertificateDigest(message.fields.ticketTransferCertificate)}` }],
});

/** Signature domain of the transfer information 11910 the SP signs. */
export const TRANSFER_INFORMATION_TYPE = 'ticketTransferInformation';

/**
 * Transfer information 11910 [1693]: what the SP did, signed by it. A refusal (the spec names none for 7411) is a
 * ticket transfer with acceptance number '0' and result 'refused' (DESIGN "a failed check").
 */
export const transferInformationBody = z
  .object({
    transferNumber: z.string().regex(/^(0|[0-9a-f]{32})$/),
    ticketId: z.string().max(96),
    /** '0' when the certificate could not even be read. */
    transferOfferNumber: z.string().regex(/^(0|[0-9a-f]{32})$/),
    formerUserId: userId.nullable(),
    userId,
    result: z.enum(['transferred', 'refused']),
    reason: z.string().max(300).nullable(),
    /** The ticket certificate now in force (the new one), or null on a refusal. */
    ticketCertificateId: z.string().nullable(),
    transferredAt: z.number().int().nonnegative(),
  })
  .strict();
export type TransferInformationBody = z.infer<typeof transferInformationBody>;

/**
 * Ticket transfer 7412 [1692]: the SP to user B, signed by the SP, closed and addressed to user B: transfer number
 * 11909, transfer information 11910, acceptance number 11911, the electronic ticket 11912, service provider ID 11913.
 * On a refusal the transfer and acceptance numbers are '0' and no ticket travels.
 */
export const ticketTransfer = defineMessage({
  type: 'ticketTransfer',
  ref: '7412 [1692]',
  sealed: true,
  fields: z
    .object({
      transferNumber: z.string().regex(/^(0|[0-9a-f]{32})$/),
      transferInformation: bytes(),
      acceptanceNumber,
      electronicTicket: electronicTicket.extend({ examinationNumber: z.number().int().nonnegative() }).strict().nullable(),
      serviceProviderId: z.string().startsWith('sp:'),
    })
    .strict(),
});

/** Every message of the ticket transfer process (the proximity ones are used by the terminals only). */
export const TRANSFER_MESSAGES = [ticketTransferOffer, ticketTransferOfferResponse, ticketTransferCertificate, ticketTransferReceipt, ticketTransferRequest, ticketTransfer];
/** The messages that travel between the two users' terminals (proximity link or a telephone connection, [1669]). */
export const PROXIMITY_TRANSFER_MESSAGES = [ticketTransferOffer, ticketTransferOfferResponse, ticketTransferCertificate, ticketTransferReceipt];

/** Record kind of a transfer request deferred to the next data update ([1685]). */
export const DEFERRED_TRANSFER_RECORD = 'ticket.transferRequest';
