import { z } from 'zod';
import { bytes } from '../../../protocol/message.js';
import { ticketCode, ticketId } from './ticket-information.js';

/**
 * The ticket certificate 1903: the service provider certifies a ticket's signature public key. Made when the ticket is
 * generated ([1605]) and replaced by the registered ticket certificate at registration ([1625]), whose key pair is new.
 */
export const ticketCertificateBody = z
  .object({
    certificateId: z.string().regex(/^[0-9a-f]{32}$/),
    ticketId,
    ticketCode,
    signingPublicKey: bytes(32),
    registered: z.boolean(),
    /** The user the service provider issued it to (the registered ticket list's current user). */
    holder: z.string().startsWith('usr:'),
    validFrom: z.number().int().nonnegative(),
    validUntil: z.number().int().nonnegative(),
    serviceProviderId: z.string().startsWith('sp:'),
    issuedAt: z.number().int().nonnegative(),
  })
  .strict();
export type TicketCertificateBody = z.infer<typeof ticketCertificateBody>;

export const TICKET_CERTIFICATE_TYPE = 'ticketCertificate';

/** The key ID a ticket's signatures name: its signature key is the ticket's own, not a party's. */
export const ticketKid = (id: string): string => `ticket:${id}`;
