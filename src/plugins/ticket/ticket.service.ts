import type { ServiceDescriptor } from '../plugin.contract.js';
import { TICKET_ENTITIES, TICKET_MIGRATIONS } from './persistence/index.js';
import { wireSlices, type TicketSlice } from './ticket-slice.js';
import { ticketWalletModule } from './terminal/wallet/ticket-wallet.module.js';
import { transferSlice } from './transfer/transfer.slice.js';
import { setupSlice } from './setup/setup.slice.js';
import { examinationSlice } from './examination/examination.slice.js';
import { referenceSlice } from './reference/reference.slice.js';
import { orderSlice } from './order/order.slice.js';
import { purchaseSlice } from './purchase/purchase.slice.js';
import { registrationSlice } from './registration/registration.slice.js';
import { installationSlice } from './installation/installation.slice.js';
import { modificationSlice } from './modification/modification.slice.js';
import { refundSlice } from './refund/refund.slice.js';
import { referenceTicketIssuingSystem } from './issuer/reference-ticket-issuing-system.js';
import { ticketGateModule } from './terminal/gate/ticket-gate.module.js';
import { SETUP_MESSAGES } from './setup/setup.messages.js';

/** The processes of the ticket service, each in its own folder. */
export const TICKET_SLICES: readonly TicketSlice[] = [orderSlice, purchaseSlice, registrationSlice, transferSlice, setupSlice, examinationSlice, referenceSlice, installationSlice, modificationSlice, refundSlice];

/** Electronic ticket service [1556]-[1766]: order, purchase, registration, gate setup, examination, reference, transfer, installation, modification, refund. */
export const ticketService: ServiceDescriptor = {
  code: 'ticket',
  description: 'Electronic ticket service [1556]-[1766]: order, purchase, registration, gate setup, examination, reference, transfer, installation, modification, refund.',
  messages: TICKET_SLICES.flatMap((slice) => slice.messages),
  machines: TICKET_SLICES.flatMap((slice) => slice.machines),
  inboundRoutes: [],
  terminalModules: [
    { moduleId: 'ticket.examination', version: '1', deviceKinds: ['gate'], description: 'Ticket examination module [1632]: ticket list 2409, transaction list 2510, authorization report list 2511' },
    { moduleId: 'ticket.wallet', version: '1', deviceKinds: ['mobile'], description: 'Ticket list 1712 and use list 1715 of the mobile user terminal, and its side of every ticket process' },
  ],
  entities: [...TICKET_ENTITIES, ...TICKET_SLICES.flatMap((slice) => slice.entities ?? [])],
  migrations: [...TICKET_MIGRATIONS, ...TICKET_SLICES.flatMap((slice) => slice.migrations ?? [])],
  deviceModules: [ticketWalletModule(TICKET_SLICES.flatMap((slice) => slice.messages)), ticketGateModule(SETUP_MESSAGES)],
  referenceIssuingSystem: referenceTicketIssuingSystem(),
  wire: (services) => wireSlices(TICKET_SLICES, services),
};
