import { z } from 'zod';
import { bytes, defineMessage, money } from '../../../protocol/message.js';
import { electronicTicket } from '../model/electronic-ticket.js';
import { templateCode, ticketCode, ticketId } from '../model/ticket-information.js';
import { customerNumber, offerNumber, requestNumber } from '../order/order.messages.js';

export const transactionNumber = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'transaction number');
const issuerId = z.string().regex(/^iss:ticket:[a-z0-9][a-z0-9._-]{0,63}$/, 'ticket issuer ID');
const userId = z.string().regex(/^usr:[a-z0-9][a-z0-9._-]{0,63}$/, 'user ID');
const spId = z.string().startsWith('sp:');
const tpsId = z.string().startsWith('tps:');
const time = z.number().int().nonnegative();
const positiveMoney = money.refine((value) => value.amount > 0, 'amount must be positive');
/** Payment service code 9104: the credit card the user designates (its clearing account is `card-<code>`). */
export const paymentServiceCode = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'payment service code');
/** Payment option code 9106: e.g. the number of payments. */
export const paymentOptionCode = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,31}$/, 'payment option code');
export const clearingOption = z.enum(['spontaneous', 'delayed']);
export type ClearingOption = z.infer<typeof clearingOption>;

/** What the user is told when no ticket is issued (Tessera's reading of a purchase that fails: a response code). */
export const TICKET_PURCHASE_RESPONSE_CODES = ['offer-unknown', 'offer-expired', 'payment-value-mismatch', 'sold-out', 'clearing-refused', 'issuing-failed'] as const;
export type TicketPurchaseResponseCode = (typeof TICKET_PURCHASE_RESPONSE_CODES)[number];
export const STANDARD_PURCHASE_RESPONSE_MESSAGES: Readonly<Record<TicketPurchaseResponseCode, string>> = {
  'offer-unknown': 'The ticket sales offer is not known to the ticket issuer.',
  'offer-expired': 'The ticket sales offer is no longer valid: order again.',
  'payment-value-mismatch': 'The payment value is not the price of the offer.',
  'sold-out': 'Sorry, the tickets of this offer are no longer available.',
  'clearing-refused': 'The payment was refused: no ticket was issued and nothing was charged.',
  'issuing-failed': 'The ticket could not be issued: nothing was charged.',
};

/** Clearing information (9408-9410): the clearing as the transaction processor answered it, attested by the SP. */
export const clearingInformationBody = z
  .object({
    clearingNumber: z.number().int().positive(),
    transactionProcessorId: tpsId,
    userClearingAccount: z.string(),
    ticketIssuerClearingAccount: z.string(),
    paymentValue: money,
    requestNumber,
    transactionNumber,
    clearedAt: time,
  })
  .strict();
export type ClearingInformationBody = z.infer<typeof clearingInformationBody>;
export const CLEARING_INFORMATION_TYPE = 'clearingInformation';

/** Ticket issuing information of the issuer 9502 [1595], signed by the ticket issuer. */
export const issuerTicketIssuingInformationBody = z
  .object({ ticketIssuerId: issuerId, transactionNumber, ticketIds: z.array(ticketId).max(20), salesValue: money, receivedAt: time })
  .strict();
export const ISSUER_TICKET_ISSUING_INFORMATION_TYPE = 'issuerTicketIssuingInformation';

/** Ticket issuing information of the SP 9302 / 9520 [1600], [1610], signed by the SP. */
export const ticketIssuingInformationBody = z
  .object({
    serviceProviderId: spId,
    userId,
    requestNumber,
    transactionNumber,
    ticketIds: z.array(ticketId).max(20),
    paymentValue: money,
    clearing: clearingOption,
    /** false on the temporary receipt (delayed clearing not done yet). */
    cleared: z.boolean(),
    issuedAt: time,
  })
  .strict();
export type TicketIssuingInformationBody = z.infer<typeof ticketIssuingInformationBody>;
export const TICKET_ISSUING_INFORMATION_TYPE = 'ticketIssuingInformation';

// 5901 [1575]: mobile user terminal -> SP, signed by the user, closed and addressed to the SP.
export const ticketPurchaseOrder = defineMessage({
  type: 'ticketPurchaseOrder',
  ref: '5901 [1575]',
  sealed: true,
  fields: z
    .object({
      serviceCode: issuerId, // 9101: the issuer of the offer
      ticketSalesOffer: bytes(), // 9102: the issuer-signed offer of the ticket order response
      offerNumber, // 9103
      paymentServiceCode, // 9104
      paymentValue: positiveMoney, // 9105
      paymentOptionCode, // 9106
      requestNumber, // 9107
      validUntil: time, // 9108
      userId, // 9109
    })
    .strict(),
  numbers: (message) => [{ scope: `ticketPurchaseOrder:${message.fields.userId}`, value: message.fields.requestNumber }],
});

// 5902 [1577]: SP -> ticket issuing system, signed by the SP, closed and addressed to the ticket issuer.
export const issuerTicketPurchaseOrder = defineMessage({
  type: 'issuerTicketPurchaseOrder',
  ref: '5902 [1577]',
  sealed: true,
  fields: z
    .object({
      offerNumber, // 9116
      paymentServiceCode, // 9117
      paymentValue: positiveMoney, // 9118
      paymentOptionCode, // 9119
      requestNumber, // 9120
      customerNumber, // 9121
      validUntil: time, // 9122
      serviceProviderId: spId, // 9123
    })
    .strict(),
});

// 5903 [1580]: ticket issuing system -> SP, signed by the ticket issuer, closed and addressed to the SP.
export const electronicTicketIssuingCommission = defineMessage({
  type: 'electronicTicketIssuingCommission',
  ref: '5903 [1580]',
  sealed: true,
  fields: z
    .object({
      transactionNumber, // 9201
      salesValue: positiveMoney, // 9202
      clearingOption, // 9203
      requestNumber, // 9204
      ticketCode, // 9205
      templateCode, // 9206
      ticketCount: z.number().int().min(1).max(20), // 9207
      ticketData: z.array(bytes()).min(1).max(20), // 9208: one issuer-signed ticket data per ticket [1584]
      representativeComponent: z.record(z.string(), z.string().max(200)).nullable(), // 9209
      ticketIssuerId: issuerId, // 9210
    })
    .strict()
    .refine((fields) => fields.ticketData.length === fields.ticketCount, 'one ticket data per ticket'),
});

// Tessera: the issuing system's answer to 5902 when it issues nothing (the offer is unknown, expired, sold...).
export const issuerTicketPurchaseRefusal = defineMessage({
  type: 'issuerTicketPurchaseRefusal',
  ref: 'Tessera (answer to 5902 when nothing is commissioned)',
  sealed: true,
  fields: z.object({ requestNumber, responseCode: z.enum(TICKET_PURCHASE_RESPONSE_CODES), ticketIssuerId: issuerId }).strict(),
});

// 5906 / 6009 [1593]: SP -> ticket issuing system, signed by the SP, closed and addressed to the ticket issuer.
export const ticketClearingCompletion = defineMessage({
  type: 'ticketClearingCompletion',
  ref: '5906, 6009 [1593], [1615]',
  sealed: true,
  fields: z
    .object({
      clearingNumber: z.number().int().positive(), // 9418
      customerNumber, // 9419
      ticketIssuerId: issuerId, // 9420
      paymentServiceCode, // 9421
      paymentValue: positiveMoney, // 9422
      paymentOptionCode, // 9423
      requestNumber, // 9424
      transactionNumber, // 9425
      clearingInformation: bytes(), // 9426
      transactionProcessorId: tpsId, // 9427
      serviceProviderId: spId, // 9428
    })
    .strict(),
});

// 5907 / 6010 [1595]: ticket issuing system -> SP, signed by the ticket issuer, closed and addressed to the SP.
export const issuerTicketReceipt = defineMessage({
  type: 'issuerTicketReceipt',
  ref: '5907, 6010 [1595], [1616]',
  sealed: true,
  fields: z
    .object({
      customerNumber, // 9501
      ticketIssuingInformation: bytes(), // 9502, signed by the ticket issuer
      paymentServiceCode, // 9503
      paymentValue: positiveMoney, // 9504
      paymentOptionCode, // 9505
      requestNumber, // 9506
      transactionNumber, // 9507
      clearingInformation: bytes(), // 9508
      transactionProcessorId: tpsId, // 9509
      ticketIssuerId: issuerId, // 9510
    })
    .strict(),
});

// Tessera (DESIGN "clearing that fails undoes the process"): SP -> ticket issuing system, the commission is cancelled.
export const ticketIssuingCancellation = defineMessage({
  type: 'ticketIssuingCancellation',
  ref: 'Tessera (failed clearing undoes 5903)',
  sealed: true,
  fields: z.object({ requestNumber, transactionNumber, customerNumber, reason: z.string().max(200), serviceProviderId: spId }).strict(),
});

export const ticketIssuingCancelled = defineMessage({
  type: 'ticketIssuingCancelled',
  ref: 'Tessera (failed clearing undoes 5903)',
  sealed: true,
  fields: z.object({ requestNumber, transactionNumber, ticketIssuerId: issuerId }).strict(),
});

// 5908 / 6004 [1599], [1611]: SP -> mobile user terminal, signed by the SP, closed and addressed to the user.
export const electronicTicketIssuing = defineMessage({
  type: 'electronicTicketIssuing',
  ref: '5908, 6004 [1599], [1611]',
  sealed: true,
  fields: z
    .object({
      transactionNumber, // 9221
      requestNumber, // 9222
      ticketCount: z.number().int().min(1).max(20), // 9223
      electronicTickets: z.array(electronicTicket).min(1).max(20), // 9224
      serviceProviderId: spId, // 9225
    })
    .strict(),
});

const receiptOfIssuer = z
  .object({
    customerNumber,
    ticketIssuingInformation: bytes(),
    paymentServiceCode,
    paymentValue: positiveMoney,
    paymentOptionCode,
    requestNumber,
    transactionNumber,
    clearingNumber: z.number().int().positive(),
    transactionProcessorId: tpsId,
    ticketIssuerId: issuerId,
  })
  .strict();

/** The receipt 5909's fields; the final receipt of a delayed clearing (6011) is the same, as an SP-signed part. */
export const ticketPurchaseReceiptFields = z
  .object({
    userId, // 9517
    receipt: receiptOfIssuer, // 9518 (9512): the issuer's receipt as the SP received it
    clearingInformation: bytes(), // 9519
    ticketIssuingInformation: bytes(), // 9520, signed by the SP
    serviceProviderId: spId, // 9521
  })
  .strict();
export type TicketPurchaseReceiptFields = z.infer<typeof ticketPurchaseReceiptFields>;
/** Signature domain of the final receipt carried in update data 6011. */
export const FINAL_RECEIPT_TYPE = 'ticketPurchaseReceipt';

// 5909 [1600]: SP -> mobile user terminal, signed by the SP, closed and addressed to the user.
export const ticketPurchaseReceipt = defineMessage({ type: 'ticketPurchaseReceipt', ref: '5909 [1600]', sealed: true, fields: ticketPurchaseReceiptFields });

// 6005 [1610]: SP -> mobile user terminal, signed by the SP, closed and addressed to the user.
export const temporaryTicketReceipt = defineMessage({
  type: 'temporaryTicketReceipt',
  ref: '6005 [1610]',
  sealed: true,
  fields: z
    .object({
      userId, // 9301
      ticketIssuingInformation: bytes(), // 9302, signed by the SP
      paymentServiceCode, // 9303
      paymentValue: positiveMoney, // 9304
      paymentOptionCode, // 9305
      requestNumber, // 9306
      transactionNumber, // 9307
      serviceProviderId: spId, // 9308
    })
    .strict(),
});

// Tessera: SP -> mobile user terminal when the purchase ends without a ticket (transaction number 0, a response code).
export const ticketPurchaseResponse = defineMessage({
  type: 'ticketPurchaseResponse',
  ref: 'Tessera (a purchase refused: transaction number 0)',
  sealed: true,
  fields: z
    .object({ responseCode: z.enum(TICKET_PURCHASE_RESPONSE_CODES), responseMessage: z.string().max(400), requestNumber, transactionNumber: z.literal('0'), serviceProviderId: spId })
    .strict(),
});

export const PURCHASE_MESSAGES = [
  ticketPurchaseOrder,
  issuerTicketPurchaseOrder,
  electronicTicketIssuingCommission,
  issuerTicketPurchaseRefusal,
  ticketClearingCompletion,
  issuerTicketReceipt,
  ticketIssuingCancellation,
  ticketIssuingCancelled,
  electronicTicketIssuing,
  ticketPurchaseReceipt,
  temporaryTicketReceipt,
  ticketPurchaseResponse,
];
