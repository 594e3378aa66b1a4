import { IsNull, Not, type DataSource } from 'typeorm';
import type { DataUpdateHook, MirrorChange } from '../../../core/data-update/data-update-hook.js';
import { TicketRefundEntity } from './ticket-refund.entity.js';

/** The service data key of a final refund receipt in a mobile user terminal's memory. */
export const FINAL_REFUND_RECEIPT_KEY_PREFIX = 'ticket.refund-receipt.';
const PER_UPDATE = 50;

/**
 * Update data 8313 [1764]: the final refund receipt of a delayed refund reaches the user with the next data update,
 * as the purchase's final receipt does (6011): each receipt the terminal's mirror does not hold yet is added to the
 * service data area, where the ticket wallet finds it and replaces the temporary refund receipt in its use list.
 */
export function finalRefundReceiptHook(dataSource: DataSource): DataUpdateHook {
  return {
    recordKinds: [],
    verifyRecord: async () => ({ accepted: false, reason: 'the ticket refund adds no records' }),
    async contribute(context) {
      if (context.deviceKind !== 'mobile') return [];
      const rows = await dataSource.getRepository(TicketRefundEntity).find({ where: { userId: context.ownerId, status: 'receipted', finalReceipt: Not(IsNull()) }, order: { updatedAt: 'ASC' }, take: 500 });
      const changes: MirrorChange[] = [];
      for (const row of rows) {
        const key = `${FINAL_REFUND_RECEIPT_KEY_PREFIX}${row.requestNumber}`;
        if (row.finalReceipt === null || context.mirror.serviceData[key] !== undefined) continue;
        changes.push({ area: 'serviceData', key, item: { value: { requestNumber: row.requestNumber, ticketId: row.ticketId, receipt: row.finalReceipt }, accessedAt: context.now } });
        if (changes.length >= PER_UPDATE) break;
      }
      return changes;
    },
  };
}
