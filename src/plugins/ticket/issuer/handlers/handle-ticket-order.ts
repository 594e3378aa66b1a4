import { In, LessThan, Not, type EntityManager } from 'typeorm';
import type { FieldsOf } from '../../../../protocol/message.js';
import { signPart } from '../../../../protocol/signed-part.js';
import { issuerTicketOrderResponse, TICKET_SALES_OFFER_TYPE, type issuerTicketOrder, type TicketOrderResponseCode, type TicketSalesOfferBody } from '../../order/order.messages.js';
import { TisEvent, TisIssuedTicket, TisOffer, TisUnit } from '../entities/index.js';
import type { IssuerContext } from '../issuer-context.js';
import type { IssuerAnswer, IssuerHandler } from './issuer-answer.js';
import { customerOf } from './customer-table.js';

type Order = FieldsOf<typeof issuerTicketOrder>;

/** Units held by offers whose validity term is over go back on sale. */
export async function releaseExpiredHolds(em: EntityManager, ticketCode: string, now: number): Promise<void> {
  await em.getRepository(TisUnit).update({ ticketCode, status: 'held', heldUntil: LessThan(now) }, { status: 'free', holder: null, heldUntil: null });
  await em.getRepository(TisOffer).update({ ticketCode, status: 'offered', validUntil: LessThan(now) }, { status: 'released' });
}

/** Tickets of this event the customer holds now or has on offer: what the ticket limit counts. */
async function ticketsOfCustomer(em: EntityManager, customerNumber: string, ticketCode: string): Promise<number> {
  const held = await em.getRepository(TisIssuedTicket).countBy({ customerNumber, ticketCode, status: Not(In(['cancelled', 'refunded'])) });
  const offers = await em.getRepository(TisOffer).findBy({ customerNumber, ticketCode, status: 'offered' });
  return held + offers.reduce((sum, offer) => sum + offer.units.length, 0);
}

function noOffer(context: IssuerContext, order: Order, responseCode: TicketOrderResponseCode): IssuerAnswer {
  return {
    definition: issuerTicketOrderResponse,
    fields: { responseCode, requestNumber: order.requestNumber, customerNumber: order.customerNumber, ticketSalesOffer: null, offerNumber: null, validUntil: null, ticketIssuerId: context.id },
  };
}

/**
 * Ticket order 5802 -> ticket order response 5803 [1563]-[1567]: the event and date must exist, the customer stay within
 * the ticket limit, and enough units be free; the offered units are held until the offer's validity term. A returning
 * customer pays less ([1567]: the price depends on the purchase history).
 */
export const handleTicketOrder: IssuerHandler<Order> = async (context, em, order) => {
  const now = context.clock.now();
  const event = await em.getRepository(TisEvent).findOneBy({ ticketCode: order.ticketOrderCode });
  if (event === null || event.date !== order.desiredDate) return noOffer(context, order, 'ticket-order-code-error');
  const customer = await customerOf(em, order.customerNumber, now);
  await releaseExpiredHolds(em, event.ticketCode, now);
  if ((await ticketsOfCustomer(em, customer.customerNumber, event.ticketCode)) + order.desiredCount > event.ticketLimit) return noOffer(context, order, 'over-ticket-limit');
  const free = await em.getRepository(TisUnit).find({ where: { ticketCode: event.ticketCode, status: 'free' }, order: { position: 'ASC' }, take: order.desiredCount });
  if (free.length < order.desiredCount) return noOffer(context, order, 'sold-out');
  const offerNumber = context.newNumber('o');
  const validUntil = now + context.policy.offerValidityMs;
  const units = free.map((unit) => unit.unit);
  await em.getRepository(TisUnit).update({ ticketCode: event.ticketCode, unit: In(units) }, { status: 'held', holder: offerNumber, heldUntil: validUntil });
  const discount = customer.completedPurchases > 0 ? context.policy.returningCustomerDiscountPercent : 0;
  const unitPrice = Math.round((event.unitPrice * (100 - discount)) / 100);
  await em.getRepository(TisOffer).insert({ offerNumber, customerNumber: customer.customerNumber, ticketCode: event.ticketCode, units, unitPrice, price: unitPrice * units.length, currency: event.currency, validUntil, status: 'offered' });
  const offer: TicketSalesOfferBody = {
    offerNumber,
    ticketIssuerId: context.id,
    customerNumber: customer.customerNumber,
    ticketCode: event.ticketCode,
    title: event.title,
    date: event.date,
    location: event.location,
    count: units.length,
    seats: event.seated ? units : [],
    unitPrice: { amount: unitPrice, currency: event.currency },
    price: { amount: unitPrice * units.length, currency: event.currency },
    transferable: event.transferable,
    coupons: event.coupons,
    text: `${units.length} x ${event.title}, ${event.date}, ${event.location}${event.seated ? `, seats ${units.join(' ')}` : ''}${discount > 0 ? ` (returning customer: ${discount}% off)` : ''}`,
    validUntil,
  };
  return {
    definition: issuerTicketOrderResponse,
    fields: {
      responseCode: 'ticket-available',
      requestNumber: order.requestNumber,
      customerNumber: customer.customerNumber,
      ticketSalesOffer: signPart(context.envelope, TICKET_SALES_OFFER_TYPE, offer, [context.signer]),
      offerNumber,
      validUntil,
      ticketIssuerId: context.id,
    },
  };
};
