import type { TicketSlice } from '../ticket-slice.js';
import { REGISTRATION_MESSAGES } from './registration.messages.js';
import { ticketRegistrationRoute } from './registration.routes.js';
import { registrationTasks } from './registration.tasks.js';
import { ticketRegistrationDirectorMachine } from './ticket-registration-director.machine.js';

/** Ticket registration [1621]-[1627]. */
export const registrationSlice: TicketSlice = {
  process: 'ticket-registration',
  messages: REGISTRATION_MESSAGES,
  machines: [{ kind: 'director:ticket-registration', version: 1, machine: ticketRegistrationDirectorMachine, side: 'sp', description: 'Ticket registration [1621]-[1627]: registered ticket list, new certified key pair' }],
  wire: (services) => ({ inboundRoutes: [ticketRegistrationRoute(services)], tasks: registrationTasks(services) }),
};
