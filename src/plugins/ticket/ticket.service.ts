import type { ServiceDescriptor } from '../plugin.contract.js';
import { TICKET_ENTITIES, TICKET_MIGRATIONS } from './persistence/index.js';
import { wireSlices, type TicketSlice } from './ticket-slice.js';
import { ticketWalletModule } from './terminal/wallet/ticket-wallet.module.js';

/** The processes of the ticket service, each in its own folder. */
export const TICKET_SLICES: readonly TicketSlice[] = [];

/** Electronic ticket service [1556]-[1766]: order, purchase, registration, gate setup, examination, reference, transfer, installation, modification, refund. */
export const ticketService: ServiceDescriptor = {
  code: 'ticket',
  description: 'Electronic ticket service [1556]-[1766]: order, purchase, registration, gate setup, examination, reference, transfer, installation, modification, refund.',
  messages: TICKET_SLICES.flatMap((slice) => slice.messages),
  machines: TICKET_SLICES.flatMap((slice) => slice.machines),
  inboundRoutes: [],
  terminalModules: [{ moduleId: 'ticket.examination', version: '1', deviceKinds: ['gate'], description: 'Ticket examination module [1632]' }],
  entities: [...TICKET_ENTITIES, ...TICKET_SLICES.flatMap((slice) => slice.entities ?? [])],
  migrations: [...TICKET_MIGRATIONS, ...TICKET_SLICES.flatMap((slice) => slice.migrations ?? [])],
  deviceModules: [ticketWalletModule(TICKET_SLICES.flatMap((slice) => slice.messages))],
  wire: (services) => wireSlices(TICKET_SLICES, services),
};
