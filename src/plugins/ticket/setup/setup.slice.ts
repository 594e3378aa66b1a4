import type { TicketSlice } from '../ticket-slice.js';
import { PREPARE_TICKET_SETUP_TASK, prepareTicketSetupTask } from './prepare-ticket-setup.task.js';
import { SETUP_MESSAGES } from './setup.messages.js';
import { ticketSetupDirectorMachine } from './ticket-setup-director.machine.js';
import { ticketSetupRoutes } from './ticket-setup.routes.js';

/** Ticket setup at a gate [1628]-[1634]: 6601 / 6602, the merchant list check, the examination program to the gate. */
export const setupSlice: TicketSlice = {
  process: 'ticket-setup',
  messages: SETUP_MESSAGES,
  machines: [{ kind: 'director:ticket-setup', version: 1, machine: ticketSetupDirectorMachine, side: 'sp', description: 'Ticket setup at a gate [1632]: merchant list check, ticket setup message 6602' }],
  wire: (services) => ({ inboundRoutes: ticketSetupRoutes(services.spId), tasks: { [PREPARE_TICKET_SETUP_TASK]: prepareTicketSetupTask(services) } }),
};
