import { LessThan, type EntityManager } from 'typeorm';
import type { FieldsOf } from '../../../../protocol/message.js';
import { signPart } from '../../../../protocol/signed-part.js';
import { issuerTicketOrderResponse, TICKET_SALES_OFFER_TYPE, type issuerTicketOrder, type TicketOrderResponseCode, type TicketSalesOfferBody } from '../../order/order.messages.js';
import { TisOffer, TisUnit } from '../entities/index.js';
import { issuerSql } from '../issuer-sql.js';
import type { IssuerContext } from '../issuer-context.js';
import type { IssuerAnswer, IssuerHandler } from './issuer-answer.js';

type Order = FieldsOf<typeof issuerTicketOrder>;

/** Units held by offers whose validity term is over go back on sale. */
export async function releaseExpiredHolds(em: EntityManager, ticketCode: string, now: number): Promise<void> {
  await em.getRepository(TisUnit).update({ ticketCode, status: 'held', heldUntil: LessThan(now) }, { status: 'free', holder: null, heldUntil: null });
  await em.getRepository(TisOffer).update({ ticketCode, status: 'offered', validUntil: LessThan(now) }, { status: 'released' });
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
  const event = await issuerSql.event(em, order.ticketOrderCode);
  if (event === undefined || event.date !== order.desiredDate) return noOffer(context, order, 'ticket-order-code-error');
  const customer = await issuerSql.customer(em, order.customerNumber, now);
  // What the ticket limit counts: tickets of the event the customer holds, and units on offers still valid.
  if ((await issuerSql.ticketsOfCustomer(em, customer.customerNumber, event.ticketCode, now)) + order.desiredCount > event.ticketLimit) return noOffer(context, order, 'over-ticket-limit');
  const freeUnits = () => issuerSql.freeUnits(em, event.ticketCode, order.desiredCount);
  let units = await freeUnits();
  if (units.length < order.desiredCount) {
    // Units held by expired offers go back on sale when the free ones run short, not on every order (two UPDATEs
    // each time). Nothing else changes: an expired offer neither counts against the ticket limit nor can be bought.
    await releaseExpiredHolds(em, event.ticketCode, now);
    units = await freeUnits();
  }
  if (units.length < order.desiredCount) return noOffer(context, order, 'sold-out');
  const offerNumber = context.newNumber('o');
  const validUntil = now + context.policy.offerValidityMs;
  await issuerSql.hold(em, event.ticketCode, units, offerNumber, validUntil);
  const discount = customer.completedPurchases > 0 ? context.policy.returningCustomerDiscountPercent : 0;
  const unitPrice = Math.round((event.unitPrice * (100 - discount)) / 100);
  await issuerSql.insertOffer(em, { offerNumber, customerNumber: customer.customerNumber, ticketCode: event.ticketCode, units, unitPrice, price: unitPrice * units.length, currency: event.currency, validUntil });
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
