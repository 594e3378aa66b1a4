import type { TicketSlice } from '../ticket-slice.js';
import { TicketTransfer1767225600701 } from './1767225600701-ticket-transfer.js';
import { deferredTransferHook } from './deferred-transfer.hook.js';
import { ticketTransferDirectorMachine } from './ticket-transfer-director.machine.js';
import { TicketTransferEntity } from './ticket-transfer.entity.js';
import { TRANSFER_TICKET_TASK, transferTicketTask } from './transfer-ticket.task.js';
import { transferRoutes } from './transfer.routes.js';
import { TRANSFER_MESSAGES } from './transfer.messages.js';

/**
 * Ticket transfer [1667]-[1694]: 7401 / 7404 / 7406 / 7407 between the users' terminals (the wallet's
 * TicketTransferring), 7411 (or a record of the next data update) and 7412 with the service providing system.
 */
export const transferSlice: TicketSlice = {
  process: 'ticket-transfer',
  messages: TRANSFER_MESSAGES,
  machines: [{ kind: 'director:ticket-transfer', version: 1, machine: ticketTransferDirectorMachine, side: 'sp', description: 'Ticket transfer [1688]-[1691]: verify the transfer certificate, move the ticket to user B with a new key pair, ticket transfer 7412' }],
  entities: [TicketTransferEntity],
  migrations: [TicketTransfer1767225600701],
  wire: (services) => ({
    inboundRoutes: transferRoutes(services.spId, services.actors),
    tasks: { [TRANSFER_TICKET_TASK]: transferTicketTask(services) },
    dataUpdateHooks: [deferredTransferHook(services.spId, services.actors, services.audit)],
  }),
};
