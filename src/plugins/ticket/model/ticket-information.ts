import { z } from 'zod';

/** A ticket ID: unique per issuer, chosen by the ticket issuing system ([1584]). */
export const ticketId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,95}$/, 'ticket ID');
/** A ticket code names a kind of ticket (an event, a line); the merchant sets a gate up for it ([1631]). */
export const ticketCode = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'ticket code');
export const templateCode = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'template code');

/**
 * Ticket information 9217: the spec's tagged ASCII description of a ticket, as typed tags. `transferable` and `coupons`
 * are the usage condition information from which the ticket status and variable ticket information are made ([1604]).
 */
export const ticketInformation = z
  .object({
    title: z.string().min(1).max(120),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date YYYY-MM-DD'),
    location: z.string().min(1).max(120),
    seatClass: z.string().max(40).nullable(),
    seat: z.string().max(40).nullable(),
    sponsor: z.string().max(120),
    transferable: z.boolean(),
    /** Number of coupons of a coupon ticket; null for a ticket that is not one. */
    coupons: z.number().int().min(1).max(1000).nullable(),
  })
  .strict();
export type TicketInformation = z.infer<typeof ticketInformation>;

/** Ticket data 9208, one ticket: ticket ID 9216, ticket information 9217, ticket issuer ID 9218, signed by the issuer. */
export const ticketDataBody = z
  .object({
    ticketId,
    ticketCode,
    information: ticketInformation,
    issuerId: z.string().startsWith('iss:ticket:'),
  })
  .strict();
export type TicketDataBody = z.infer<typeof ticketDataBody>;

/** Signature domain of ticket data (the presentation ticket 1902 is this signed part). */
export const TICKET_DATA_TYPE = 'ticketData';
