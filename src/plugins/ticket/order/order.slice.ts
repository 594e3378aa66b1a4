import type { TicketSlice } from '../ticket-slice.js';
import { ORDER_MESSAGES } from './order.messages.js';
import { ticketOrderRoute } from './order.routes.js';
import { ticketOrderDirectorMachine } from './ticket-order-director.machine.js';

/** Ticket order [1556]-[1571]. */
export const orderSlice: TicketSlice = {
  process: 'ticket-order',
  messages: ORDER_MESSAGES,
  machines: [{ kind: 'director:ticket-order', version: 1, machine: ticketOrderDirectorMachine, side: 'sp', description: 'Ticket order [1556]-[1571]: 5802 to the issuer, 5804 to the user' }],
  wire: (services) => ({ inboundRoutes: [ticketOrderRoute(services)] }),
};
