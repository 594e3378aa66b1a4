import type { FieldsOf } from '../../../../protocol/message.js';
import { signTicketData } from '../../generation/sign-ticket-data.js';
import { electronicTicketIssuingCommission, issuerTicketPurchaseRefusal, type issuerTicketPurchaseOrder, type TicketPurchaseResponseCode } from '../../purchase/purchase.messages.js';
import { issuerSql } from '../issuer-sql.js';
import type { IssuerContext } from '../issuer-context.js';
import { clearingOptionFor } from './customer-table.js';
import type { IssuerAnswer, IssuerHandler } from './issuer-answer.js';

type PurchaseOrder = FieldsOf<typeof issuerTicketPurchaseOrder>;

function refusal(context: IssuerContext, order: PurchaseOrder, responseCode: TicketPurchaseResponseCode): IssuerAnswer {
  return { definition: issuerTicketPurchaseRefusal, fields: { requestNumber: order.requestNumber, responseCode, ticketIssuerId: context.id } };
}

/**
 * Ticket purchase order 5902 -> electronic ticket issuing commission 5903 [1579]-[1585]: the offer must be this
 * customer's, still valid, and paid at its price. The held units become sold, one ticket is issued per unit with its
 * ticket data signed by the issuer, and the customer's history chooses the clearing option.
 */
export const handleTicketPurchaseOrder: IssuerHandler<PurchaseOrder> = async (context, em, order) => {
  const now = context.clock.now();
  const offer = await issuerSql.offer(em, order.offerNumber);
  if (offer === undefined || offer.customerNumber !== order.customerNumber || offer.status === 'commissioned') return refusal(context, order, 'offer-unknown');
  if (offer.status === 'released' || offer.validUntil < now || order.validUntil < now) return refusal(context, order, 'offer-expired');
  if (order.paymentValue.amount !== offer.price || order.paymentValue.currency !== offer.currency) return refusal(context, order, 'payment-value-mismatch');
  if ((await issuerSql.heldBy(em, offer.ticketCode, offer.units, offer.offerNumber)) !== offer.units.length) return refusal(context, order, 'sold-out');
  const event = await issuerSql.event(em, offer.ticketCode);
  if (event === undefined) throw new Error(`offer ${offer.offerNumber} is for ${offer.ticketCode}, which is no event`);
  const customer = await issuerSql.customer(em, order.customerNumber, now);
  const clearingOption = clearingOptionFor(customer, context.policy);
  const transactionNumber = context.newNumber('t');
  await issuerSql.sell(em, offer.ticketCode, offer.units, transactionNumber);
  await issuerSql.setOfferStatus(em, offer.offerNumber, 'commissioned');
  await issuerSql.insertSale(em, {
    transactionNumber,
    requestNumber: order.requestNumber,
    customerNumber: order.customerNumber,
    offerNumber: offer.offerNumber,
    ticketCode: offer.ticketCode,
    amount: offer.price,
    currency: offer.currency,
    clearingOption,
    createdAt: now,
    updatedAt: now,
  });
  const ticketData: Uint8Array[] = [];
  for (const unit of offer.units) {
    const ticketId = context.newNumber(`${event.ticketCode}-`).toLowerCase();
    await issuerSql.insertTicket(em, { ticketId, transactionNumber, ticketCode: event.ticketCode, customerNumber: order.customerNumber, unit, issuedAt: now });
    ticketData.push(
      signTicketData(context.envelope, context.signer, {
        ticketId,
        ticketCode: event.ticketCode,
        issuerId: context.id,
        information: { title: event.title, date: event.date, location: event.location, seatClass: event.seatClass, seat: event.seated ? unit : null, sponsor: event.sponsor, transferable: event.transferable, coupons: event.coupons },
      }),
    );
  }
  return {
    definition: electronicTicketIssuingCommission,
    fields: {
      transactionNumber,
      salesValue: { amount: offer.price, currency: offer.currency },
      clearingOption,
      requestNumber: order.requestNumber,
      ticketCode: event.ticketCode,
      templateCode: event.templateCode,
      ticketCount: ticketData.length,
      ticketData,
      representativeComponent: null,
      ticketIssuerId: context.id,
    },
  };
};
