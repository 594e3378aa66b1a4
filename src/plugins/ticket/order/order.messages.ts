import { z } from 'zod';
import { bytes, defineMessage, money } from '../../../protocol/message.js';
import { ticketCode } from '../model/ticket-information.js';

/** A number the sender picks to name one request, offer or transaction. */
export const requestNumber = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'request number');
export const customerNumber = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'customer number');
export const offerNumber = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'offer number');
const issuerId = z.string().regex(/^iss:ticket:[a-z0-9][a-z0-9._-]{0,63}$/, 'ticket issuer ID');
const userId = z.string().regex(/^usr:[a-z0-9][a-z0-9._-]{0,63}$/, 'user ID');
const spId = z.string().startsWith('sp:');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date YYYY-MM-DD');
const time = z.number().int().nonnegative();

/** Response codes 9001 / 9015 [1565]. */
export const TICKET_ORDER_RESPONSE_CODES = ['ticket-available', 'sold-out', 'over-ticket-limit', 'ticket-order-code-error'] as const;
export type TicketOrderResponseCode = (typeof TICKET_ORDER_RESPONSE_CODES)[number];
export const ticketOrderResponseCode = z.enum(TICKET_ORDER_RESPONSE_CODES);

/** The standard response messages 9016 the service director sets from the response code [1570]. */
export const STANDARD_ORDER_RESPONSE_MESSAGES: Readonly<Record<TicketOrderResponseCode, string>> = {
  'ticket-available': 'Tickets are available: see the ticket sales offer.',
  'sold-out': 'Sorry, all tickets for this event have been sold.',
  'over-ticket-limit': 'The number of tickets asked for is over the ticket limit per customer.',
  'ticket-order-code-error': 'There is no ticket with this ticket order code on this date.',
};

/**
 * The ticket sales offer 9004 [1566]: what the issuer offers for the order (title, date, seats, price), signed by the
 * ticket issuer. Travels as the issuer-signed part; the user quotes it back in the purchase order 9102.
 */
export const ticketSalesOfferBody = z
  .object({
    offerNumber,
    ticketIssuerId: issuerId,
    customerNumber,
    ticketCode,
    title: z.string().max(120),
    date,
    location: z.string().max(120),
    count: z.number().int().min(1).max(20),
    /** Seat numbers for a seated event, empty otherwise. */
    seats: z.array(z.string().max(40)).max(20),
    unitPrice: money,
    /** The price of the whole offer: what the purchase order's payment value must be. */
    price: money,
    transferable: z.boolean(),
    coupons: z.number().int().min(1).max(1000).nullable(),
    /** Text shown to the user. */
    text: z.string().max(400),
    validUntil: time,
  })
  .strict();
export type TicketSalesOfferBody = z.infer<typeof ticketSalesOfferBody>;
export const TICKET_SALES_OFFER_TYPE = 'ticketSalesOffer';

// 5801 [1559]: mobile user terminal -> SP, signed by the user, closed and addressed to the SP.
export const ticketOrder = defineMessage({
  type: 'ticketOrder',
  ref: '5801 [1559]',
  sealed: true,
  fields: z
    .object({
      serviceCode: issuerId, // service code 8901: the ticket issuer the user selected
      ticketOrderCode: ticketCode, // 8902
      desiredDate: date, // 8903
      desiredCount: z.number().int().min(1).max(20), // 8904
      requestNumber, // 8905
      userId, // 8906
    })
    .strict(),
  numbers: (message) => [{ scope: `ticketOrder:${message.fields.userId}`, value: message.fields.requestNumber }],
});

// 5802 [1561]: SP -> ticket issuing system, signed by the SP, closed and addressed to the ticket issuer.
export const issuerTicketOrder = defineMessage({
  type: 'issuerTicketOrder',
  ref: '5802 [1561]',
  sealed: true,
  fields: z
    .object({
      ticketOrderCode: ticketCode, // 8913
      desiredDate: date, // 8914
      desiredCount: z.number().int().min(1).max(20), // 8915
      requestNumber, // 8916
      customerNumber, // 8917
      serviceProviderId: spId, // 8918
    })
    .strict(),
});

// 5803 [1564]: ticket issuing system -> SP, signed by the ticket issuer, closed and addressed to the SP.
export const issuerTicketOrderResponse = defineMessage({
  type: 'issuerTicketOrderResponse',
  ref: '5803 [1564]',
  sealed: true,
  fields: z
    .object({
      responseCode: ticketOrderResponseCode, // 9001
      requestNumber, // 9002
      customerNumber, // 9003
      ticketSalesOffer: bytes().nullable(), // 9004: not set when no ticket can be offered [1566]
      offerNumber: offerNumber.nullable(), // 9005
      validUntil: time.nullable(), // 9006
      ticketIssuerId: issuerId, // 9007
    })
    .strict(),
});

// 5804 [1569]: SP -> mobile user terminal, signed by the SP, closed and addressed to the user.
export const ticketOrderResponse = defineMessage({
  type: 'ticketOrderResponse',
  ref: '5804 [1569]',
  sealed: true,
  fields: z
    .object({
      responseCode: ticketOrderResponseCode, // 9015
      responseMessage: z.string().max(400), // 9016
      requestNumber, // 9017
      ticketSalesOffer: bytes().nullable(), // 9018
      offerNumber: offerNumber.nullable(), // 9019
      validUntil: time.nullable(), // 9020
      serviceProviderId: spId, // 9021
    })
    .strict(),
});

export const ORDER_MESSAGES = [ticketOrder, issuerTicketOrder, issuerTicketOrderResponse, ticketOrderResponse];
