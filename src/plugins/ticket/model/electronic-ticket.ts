import { z } from 'zod';
import { bytes } from '../../../protocol/message.js';
import { ticketCode, templateCode, ticketId } from './ticket-information.js';
import { ticketStatus, variableTicketInformation } from './ticket-status.js';

/**
 * The ticket program 1901: the modules the ticket runs (from its template) with the ticket private key (it opens the
 * ticket test patterns gates seal to the ticket kind) and the gate public key (the terminal seals gate test patterns to
 * it), both from the electronic ticket management information 5300 ([1604]).
 */
export const ticketProgram = z
  .object({
    templateCode,
    transactionModule: z.object({ moduleId: z.string(), version: z.string() }).strict(),
    displayModule: z.object({ moduleId: z.string(), version: z.string() }).strict(),
    ticketSealingSecretKey: bytes(32),
    ticketSealingPublicKey: bytes(32),
    gateSealingPublicKey: bytes(32),
  })
  .strict();

/**
 * An electronic ticket as the service director generates it ([1602]-[1605]) and the electronic ticket issuing message
 * 5908 / 6004 carries it: program, presentation ticket 1902 (the issuer-signed ticket data), certificate 1903, ticket
 * status 1907, variable ticket information 1908, representative component information 1932, and the ticket signature
 * private key whose public half the certificate holds.
 */
export const electronicTicket = z
  .object({
    ticketId,
    ticketCode,
    issuerId: z.string().startsWith('iss:ticket:'),
    program: ticketProgram,
    presentationTicket: bytes(),
    certificate: bytes(),
    status: ticketStatus,
    variable: variableTicketInformation,
    representativeComponent: z.record(z.string(), z.string().max(200)),
    signingSecretKey: bytes(32),
  })
  .strict();
export type ElectronicTicket = z.infer<typeof electronicTicket>;
