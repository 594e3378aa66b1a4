import { IsNull, Not, type DataSource } from 'typeorm';
import type { DataUpdateHook, MirrorChange } from '../../../core/data-update/data-update-hook.js';
import { TicketPurchaseEntity } from './persistence/ticket-purchase.entity.js';

/** The service data key of a final receipt in a mobile user terminal's memory. */
export const FINAL_RECEIPT_KEY_PREFIX = 'ticket.receipt.';
const PER_UPDATE = 50;

/**
 * Update data 6011 [1618]: the final receipt of a delayed clearing reaches the user with the next data update. The
 * hook adds each final receipt the terminal's mirror does not hold yet to the service data area, where the ticket
 * wallet finds it and replaces the temporary receipt in its use list. The mirror keeps it, so every later update
 * carries the same receipt and the comparison stays consistent.
 */
export function finalReceiptHook(dataSource: DataSource): DataUpdateHook {
  return {
    recordKinds: [],
    verifyRecord: async () => ({ accepted: false, reason: 'the ticket purchase adds no records' }),
    async contribute(context) {
      if (context.deviceKind !== 'mobile') return [];
      const rows = await dataSource.getRepository(TicketPurchaseEntity).find({ where: { userId: context.ownerId, state: 'completed', finalReceipt: Not(IsNull()) }, order: { updatedAt: 'ASC' }, take: 500 });
      const changes: MirrorChange[] = [];
      for (const row of rows) {
        const key = `${FINAL_RECEIPT_KEY_PREFIX}${row.requestNumber}`;
        if (row.finalReceipt === null || context.mirror.serviceData[key] !== undefined) continue;
        changes.push({ area: 'serviceData', key, item: { value: { requestNumber: row.requestNumber, transactionNumber: row.transactionNumber, receipt: row.finalReceipt }, accessedAt: context.now } });
        if (changes.length >= PER_UPDATE) break;
      }
      return changes;
    },
  };
}
