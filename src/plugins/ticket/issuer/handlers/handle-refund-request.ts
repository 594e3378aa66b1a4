import type { FieldsOf } from '../../../../protocol/message.js';
import { refundCommission, refundRequestRefusal, type RefundRefusalCode, type refundRequest } from '../../refund/refund.messages.js';
import { TisIssuedTicket, TisRefund, TisSale, TisUnit } from '../entities/index.js';
import type { IssuerContext } from '../issuer-context.js';
import { customerOf } from './customer-table.js';
import type { IssuerAnswer, IssuerHandler } from './issuer-answer.js';

type RefundRequest = FieldsOf<typeof refundRequest>;

function refusal(context: IssuerContext, request: RefundRequest, responseCode: RefundRefusalCode): IssuerAnswer {
  return { definition: refundRequestRefusal, fields: { responseCode, ticketId: request.ticketId, requestNumber: request.requestNumber, ticketIssuerId: context.id } };
}

/**
 * Refund request 8205 / 8305 -> refund commission 8206 / 8306 [1737]-[1738]: the issued ticket must be one this issuer
 * issued and has not cancelled or refunded; it is cancelled, its unit is on sale again, and the price it was sold at is
 * to be paid back. The clearing option is immediate when the sale has been cleared, delayed when its own clearing is
 * still in the daily batch (a refund cannot be cleared before the price it pays back).
 *
 * Whose refund it is: a ticket can be transferred ([1667]-[1694]) without the issuer taking part, so the customer number
 * in the request is the current holder's, not necessarily the buyer's the sale records. The reading taken: the holder
 * owns the ticket and is refunded (the refund clearing 8207 [1742] credits the user clearing account 13213); the issuer
 * trusts the service provider, which keeps the user ticket list and the former-user chain, for who holds it. The refund
 * is recorded against the ticket and the holder's customer number (a new customer if the holder never bought here); the
 * sale keeps its buyer. The value stays conserved: the ticket is refunded once, for at most its share of the sale.
 */
export const handleRefundRequest: IssuerHandler<RefundRequest> = async (context, em, request) => {
  const now = context.clock.now();
  const ticket = await em.getRepository(TisIssuedTicket).findOneBy({ ticketId: request.ticketId });
  if (ticket === null) return refusal(context, request, 'unknown-ticket');
  if (ticket.status !== 'issued') return refusal(context, request, 'already-refunded');
  const sale = await em.getRepository(TisSale).findOneBy({ transactionNumber: ticket.transactionNumber });
  // Installed tickets were paid for with the installation card, outside the clearing: nothing to pay back here.
  if (sale === null || sale.status === 'cancelled') return refusal(context, request, 'not-refundable');
  const ticketsInSale = await em.getRepository(TisIssuedTicket).countBy({ transactionNumber: sale.transactionNumber });
  // Each ticket of a sale is worth its share; the remainder of an uneven split stays with the issuer, never more.
  const amount = Math.floor(sale.amount / Math.max(1, ticketsInSale));
  if (amount <= 0) return refusal(context, request, 'not-refundable');
  await customerOf(em, request.customerNumber, now);
  const transactionNumber = context.newNumber('r');
  const clearingOption = sale.status === 'cleared' ? 'immediate' : 'delayed';
  await em.getRepository(TisIssuedTicket).update({ ticketId: ticket.ticketId }, { status: 'refunded' });
  await em.getRepository(TisUnit).update({ ticketCode: ticket.ticketCode, unit: ticket.unit }, { status: 'free', holder: null, heldUntil: null });
  await em.getRepository(TisRefund).insert({
    transactionNumber,
    requestNumber: request.requestNumber,
    modificationNumber: request.modificationNumber,
    ticketId: ticket.ticketId,
    customerNumber: request.customerNumber,
    saleTransactionNumber: sale.transactionNumber,
    amount,
    currency: sale.currency,
    clearingOption,
    status: 'commissioned',
    clearingNumber: null,
    createdAt: now,
    updatedAt: now,
  });
  return {
    definition: refundCommission,
    fields: { transactionNumber, refundAmount: { amount, currency: sale.currency }, clearingOption, ticketId: ticket.ticketId, requestNumber: request.requestNumber, ticketIssuerId: context.id },
  };
};
