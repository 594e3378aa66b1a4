import type { ServiceDescriptor } from '../plugin.contract.js';

/** Electronic ticket service [1556]-[1766]: order, purchase, registration, gate setup, examination, reference, transfer, installation, modification, refund. */
export const ticketService: ServiceDescriptor = {
  code: 'ticket',
  description: 'Electronic ticket service [1556]-[1766]: order, purchase, registration, gate setup, examination, reference, transfer, installation, modification, refund.',
  messages: [],
  machines: [],
  inboundRoutes: [],
  terminalModules: [{ moduleId: 'ticket.examination', version: '1', deviceKinds: ['gate'], description: 'Ticket examination module [1632]' }],
  entities: [],
  migrations: [],
};
