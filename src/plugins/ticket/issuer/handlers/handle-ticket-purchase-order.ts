import { In } from 'typeorm';
import type { FieldsOf } from '../../../../protocol/message.js';
import { signTicketData } from '../../generation/sign-ticket-data.js';
import { electronicTicketIssuingCommission, issuerTicketPurchaseRefusal, type issuerTicketPurchaseOrder, type TicketPurchaseResponseCode } from '../../purchase/purchase.messages.js';
import { TisEvent, TisIssuedTicket, TisOffer, TisSale, TisUnit } from '../entities/index.js';
import type { IssuerContext } from '../issuer-context.js';
import { clearingOptionFor, customerOf } from './customer-table.js';
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
  const offer = await em.getRepository(TisOffer).findOneBy({ offerNumber: order.offerNumber });
  if (offer === null || offer.customerNumber !== order.customerNumber || offer.status === 'commissioned') return refusal(context, order, 'offer-unknown');
  if (offer.status === 'released' || offer.validUntil < now || order.validUntil < now) return refusal(context, order, 'offer-expired');
  if (order.paymentValue.amount !== offer.price || order.paymentValue.currency !== offer.currency) return refusal(context, order, 'payment-value-mismatch');
  const units = await em.getRepository(TisUnit).findBy({ ticketCode: offer.ticketCode, unit: In(offer.units), status: 'held', holder: offer.offerNumber });
  if (units.length !== offer.units.length) return refusal(context, order, 'sold-out');
  const event = await em.getRepository(TisEvent).findOneByOrFail({ ticketCode: offer.ticketCode });
  const customer = await customerOf(em, order.customerNumber, now);
  const clearingOption = clearingOptionFor(customer, context.policy);
  const transactionNumber = context.newNumber('t');
  await em.getRepository(TisUnit).update({ ticketCode: offer.ticketCode, unit: In(offer.units) }, { status: 'sold', holder: transactionNumber, heldUntil: null });
  await em.getRepository(TisOffer).update({ offerNumber: offer.offerNumber }, { status: 'commissioned' });
  await em.getRepository(TisSale).insert({
    transactionNumber,
    requestNumber: order.requestNumber,
    customerNumber: order.customerNumber,
    offerNumber: offer.offerNumber,
    ticketCode: offer.ticketCode,
    amount: offer.price,
    currency: offer.currency,
    clearingOption,
    status: 'commissioned',
    clearingNumber: null,
    createdAt: now,
    updatedAt: now,
  });
  const ticketData: Uint8Array[] = [];
  for (const unit of offer.units) {
    const ticketId = context.newNumber(`${event.ticketCode}-`).toLowerCase();
    await em.getRepository(TisIssuedTicket).insert({ ticketId, transactionNumber, ticketCode: event.ticketCode, customerNumber: order.customerNumber, unit, status: 'issued', issuedAt: now });
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
