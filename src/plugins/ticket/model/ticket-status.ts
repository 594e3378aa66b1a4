import { z } from 'zod';

/**
 * Ticket status 1907: the registration state ([1627]), whether the issuer lets it be transferred ([1668]), and where it
 * is in its use. Variable ticket information 1908: what the instruction codes change besides the status (the coupons
 * left). Both are signed by the ticket signature key whenever the terminal shows them to a gate or another user.
 */
export const ticketStatus = z
  .object({
    registration: z.enum(['unregistered', 'registered']),
    transferable: z.boolean(),
    /** 'disabled': the holder refused or asked a refund for a modification ([1726], [1728]); no gate lets it in. */
    use: z.enum(['unused', 'entered', 'exhausted', 'disabled']),
  })
  .strict();
export type TicketStatus = z.infer<typeof ticketStatus>;

/** How far a ticket has gone in its use: it never goes back (a transfer or a modification keeps the furthest). */
export const USE_PROGRESS: Readonly<Record<TicketStatus['use'], number>> = { unused: 0, entered: 1, exhausted: 2, disabled: 3 };

export const variableTicketInformation = z
  .object({
    couponsLeft: z.number().int().min(0).max(1000).nullable(),
  })
  .strict();
export type VariableTicketInformation = z.infer<typeof variableTicketInformation>;
