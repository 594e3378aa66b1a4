import type { Money } from '../../../protocol/message.js';
import type { Requester } from './director-kit.js';

/** A verified ticket purchase order 5901, as the route hands it to the service director (plain data). */
export interface TicketPurchaseRequest extends Requester {
  readonly issuerId: string;
  readonly customerNumber: string;
  readonly offerNumber: string;
  readonly paymentServiceCode: string;
  readonly paymentValue: Money;
  readonly paymentOptionCode: string;
  readonly requestNumber: string;
  readonly validUntil: number;
}

export const PURCHASE_TASKS = {
  commission: 'ticket.purchase.commission',
  cleared: 'ticket.purchase.cleared',
  receipt: 'ticket.purchase.receipt',
  cancelled: 'ticket.purchase.cancelled',
  collectBatch: 'ticket.clearing-batch.collect',
} as const;

/** The clearing request (5904 / 6007) of a purchase: TPS request numbers are per sender, so they name the user and issuer. */
export function clearingNumbers(purchase: { userId: string; requestNumber: string; issuerId: string; transactionNumber: string }): { requestNumber: string; transactionNumber: string } {
  return { requestNumber: `${purchase.userId}:${purchase.requestNumber}`, transactionNumber: `${purchase.issuerId}:${purchase.transactionNumber}` };
}
