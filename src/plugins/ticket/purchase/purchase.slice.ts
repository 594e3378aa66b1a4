import type { TicketSlice } from '../ticket-slice.js';
import { clearingBatchDirectorMachine } from './clearing-batch-director.machine.js';
import { DEFAULT_CARD_SETTINGS } from './clearing-accounts.js';
import { finalReceiptHook } from './final-receipt.hook.js';
import { TicketPurchase1767225600300 } from './persistence/1767225600300-ticket-purchase.js';
import { TicketClearingAccountEntity } from './persistence/ticket-clearing-account.entity.js';
import { TicketPurchaseEntity } from './persistence/ticket-purchase.entity.js';
import { PURCHASE_MESSAGES } from './purchase.messages.js';
import { ticketPurchaseRoute } from './purchase.routes.js';
import { purchaseTasks } from './purchase.tasks.js';
import { scheduleClearingBatches } from './clearing-batch-schedule.js';
import { ticketPurchaseDirectorMachine } from './ticket-purchase-director.machine.js';

/** Ticket purchase [1572]-[1620], with electronic ticket generation and the delayed clearing batch. */
export const purchaseSlice: TicketSlice = {
  process: 'ticket-purchase',
  messages: PURCHASE_MESSAGES,
  machines: [
    { kind: 'director:ticket-purchase', version: 1, machine: ticketPurchaseDirectorMachine, side: 'sp', description: 'Ticket purchase [1572]-[1620]: commission, spontaneous or delayed clearing, tickets and receipts' },
    { kind: 'director:ticket-clearing-batch', version: 1, machine: clearingBatchDirectorMachine, side: 'sp', description: 'Delayed clearing batch [1613]-[1620]: 6007/6008 for every delayed purchase waiting' },
  ],
  entities: [TicketPurchaseEntity, TicketClearingAccountEntity],
  migrations: [TicketPurchase1767225600300],
  wire: (services, options) => {
    const schedule = scheduleClearingBatches(services, options?.clearingBatchIntervalMs ?? null);
    return {
      close: async () => schedule.stop(),
      inboundRoutes: [ticketPurchaseRoute(services)],
      tasks: purchaseTasks(services, { ...DEFAULT_CARD_SETTINGS, ...options?.cards }),
      dataUpdateHooks: [finalReceiptHook(services.dataSource)],
    };
  },
};
