import { DEFAULT_CARD_SETTINGS } from '../purchase/clearing-accounts.js';
import type { TicketSlice } from '../ticket-slice.js';
import { TicketRefund1767225601001 } from './1767225601001-ticket-refund.js';
import { refundDirectorMachine } from './refund-director.machine.js';
import { finalRefundReceiptHook } from './refund-receipt.hook.js';
import { REFUND_MESSAGES } from './refund.messages.js';
import { refundTasks } from './refund.tasks.js';
import { TicketRefundEntity } from './ticket-refund.entity.js';

/** Ticket refund [1732]-[1766]: 8205 / 8305, 8206 / 8306, immediate (8207-8211) and delayed (8307, 8309-8313) clearing. */
export const refundSlice: TicketSlice = {
  process: 'ticket-refund',
  messages: REFUND_MESSAGES,
  machines: [{ kind: 'director:ticket-refund', version: 1, machine: refundDirectorMachine, side: 'sp', description: 'Ticket refund [1735]-[1766]: issuer cancel, immediate or batch refund clearing, receipts' }],
  entities: [TicketRefundEntity],
  migrations: [TicketRefund1767225601001],
  wire: (services, options) => ({ tasks: refundTasks(services, { ...DEFAULT_CARD_SETTINGS, ...options?.cards }), dataUpdateHooks: [finalRefundReceiptHook(services.dataSource)] }),
};
