/** Options of the ticket plugin (none yet). */
export interface TicketPluginOptions {}

export const TICKET_OPTIONS = Symbol('TicketPluginOptions');
