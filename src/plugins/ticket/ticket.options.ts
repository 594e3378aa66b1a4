/** Options of the ticket plugin (none yet). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TicketPluginOptions {}

export const TICKET_OPTIONS = Symbol('TicketPluginOptions');
