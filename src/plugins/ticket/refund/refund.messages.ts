import { z } from 'zod';
import { bytes, defineMessage, money } from '../../../protocol/message.js';
import { ticketId } from '../model/ticket-information.js';
import { modificationNumber } from '../modification/modification.messages.js';

/** Refund request numbers: made by the SP for each refund (32 hex digits). */
export const refundRequestNumber = z.string().regex(/^[0-9a-f]{32}$/, 'request number');
/** Transaction number 13112: chosen by the issuing system, unique per refund. */
export const refundTransactionNumber = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'transaction number');
const customerNumber = z.string().min(1).max(64);
const userId = z.string().startsWith('usr:');
const issuerId = z.string().startsWith('iss:ticket:');
const spId = z.string().startsWith('sp:');
const tpsId = z.string().startsWith('tps:');
const positiveMoney = money.refine((value) => value.amount > 0, 'amount must be positive');

/** Clearing option 13114 ([1739]): immediate clearing, or delayed clearing in the daily batch. */
export const REFUND_CLEARING_OPTIONS = ['immediate', 'delayed'] as const;
export type RefundClearingOption = (typeof REFUND_CLEARING_OPTIONS)[number];

/** Why a refund is refused (Tessera: the spec describes only the refund that succeeds). */
export const REFUND_REFUSALS = ['ticket-used', 'already-refunded', 'unknown-ticket', 'not-refundable'] as const;
export type RefundRefusalCode = (typeof REFUND_REFUSALS)[number];

export const REFUND_RESPONSE_MESSAGES: Readonly<Record<RefundRefusalCode, string>> = {
  'ticket-used': 'This ticket has been used and cannot be refunded.',
  'already-refunded': 'This ticket has already been refunded.',
  'unknown-ticket': 'The ticket issuer does not know this ticket.',
  'not-refundable': 'This ticket cannot be refunded.',
};

// 8205 / 8305 [1736]: ticket issuer processor -> ticket issuing system, signed by the SP, closed to the issuer.
export const refundRequest = defineMessage({
  type: 'refundRequest',
  ref: '8205, 8305 [1736]',
  sealed: true,
  fields: z
    .object({
      modificationNumber, // 13101
      ticketId, // 13102
      requestNumber: refundRequestNumber, // 13103
      customerNumber, // 13104
      serviceProviderId: spId, // 13105 (issued time 13106 is the header's)
    })
    .strict(),
});

// 8206 / 8306 [1738]: ticket issuing system -> SP, signed by the issuer, closed to the SP. The reply to 8205 / 8305.
export const refundCommission = defineMessage({
  type: 'refundCommission',
  ref: '8206, 8306 [1738]',
  sealed: true,
  fields: z
    .object({
      transactionNumber: refundTransactionNumber, // 13112
      refundAmount: positiveMoney, // 13113
      clearingOption: z.enum(REFUND_CLEARING_OPTIONS), // 13114
      ticketId, // 13115
      requestNumber: refundRequestNumber, // 13116
      ticketIssuerId: issuerId, // 13117 (issued time 13118 is the header's)
    })
    .strict(),
  numbers: (message) => [{ scope: `ticketRefundTransaction:${message.from}`, value: message.fields.transactionNumber }],
});

// Tessera: the issuer's answer to 8205 / 8305 when it does not cancel the ticket ([1737] describes only the cancel).
export const refundRequestRefusal = defineMessage({
  type: 'refundRequestRefusal',
  ref: 'Tessera (refusal of 8205 / 8305, [1737])',
  sealed: true,
  fields: z.object({ responseCode: z.enum(REFUND_REFUSALS), ticketId, requestNumber: refundRequestNumber, ticketIssuerId: issuerId }).strict(),
});

// 8209 / 8311 [1746]: ticket issuer processor -> ticket issuing system, signed by the SP, closed to the issuer.
export const refundClearingCompletionNotification = defineMessage({
  type: 'refundClearingCompletionNotification',
  ref: '8209, 8311 [1746]',
  sealed: true,
  fields: z
    .object({
      clearingNumber: z.number().int().positive(), // 13318
      customerNumber, // 13319
      ticketIssuerId: issuerId, // 13320
      refundAmount: positiveMoney, // 13321
      clearingOption: z.enum(REFUND_CLEARING_OPTIONS), // 13322
      requestNumber: refundRequestNumber, // 13323
      transactionNumber: refundTransactionNumber, // 13324
      clearingInformation: bytes(), // 13325: the transaction processor's clearing information (refundClearingInformation)
      transactionProcessorId: tpsId, // 13326
      serviceProviderId: spId, // 13327 (issued time 13328 is the header's)
    })
    .strict(),
});

// 8210 / 8312 [1748]: ticket issuing system -> SP, signed by the issuer, closed to the SP. The reply to 8209 / 8311.
export const refundReceipt = defineMessage({
  type: 'refundReceipt',
  ref: '8210, 8312 [1748]',
  sealed: true,
  fields: z
    .object({
      customerNumber, // 13401
      refundInformation: bytes(), // 13402, issuer-signed issuerRefundInformationBody
      refundAmount: positiveMoney, // 13403
      requestNumber: refundRequestNumber, // 13404
      transactionNumber: refundTransactionNumber, // 13405
      clearingNumber: z.number().int().positive(), // 13406
      transactionProcessorId: tpsId, // 13407
      ticketIssuerId: issuerId, // 13408 (issued time 13409 is the header's)
    })
    .strict(),
});

/** The issuer's refund receipt 13410 as the SP passes it to the user (13416): the fields of 8210 / 8312. */
export const decryptedRefundReceipt = z
  .object({
    refundInformation: bytes(),
    refundAmount: positiveMoney,
    requestNumber: refundRequestNumber,
    transactionNumber: refundTransactionNumber,
    clearingNumber: z.number().int().positive(),
    transactionProcessorId: tpsId,
    ticketIssuerId: issuerId,
  })
  .strict();

// 8211 [1752]: user processor -> mobile user terminal, signed by the SP, closed to the user. On the delayed path the
// same receipt reaches the terminal in the update data 8313 ([1764]) as `finalRefundReceipt` (see refund-receipt.ts).
export const userRefundReceipt = defineMessage({
  type: 'userRefundReceipt',
  ref: '8211 [1752]',
  sealed: true,
  fields: z
    .object({
      userId, // 13415
      refundReceipt: decryptedRefundReceipt, // 13416
      clearingInformation: bytes(), // 13417: the transaction processor's clearing information
      refundInformation: bytes(), // 13418, SP-signed spRefundInformationBody
      serviceProviderId: spId, // 13419 (issued time 13420 is the header's)
    })
    .strict(),
});

// 8307 [1756]: user processor -> mobile user terminal, signed by the SP, closed to the user.
export const temporaryRefundReceipt = defineMessage({
  type: 'temporaryRefundReceipt',
  ref: '8307 [1756]',
  sealed: true,
  fields: z
    .object({
      userId, // 13201
      refundInformation: bytes(), // 13202, SP-signed spRefundInformationBody
      refundAmount: positiveMoney, // 13203
      requestNumber: refundRequestNumber, // 13204
      transactionNumber: refundTransactionNumber, // 13205
      serviceProviderId: spId, // 13206 (issued time 13207 is the header's)
    })
    .strict(),
});

// Tessera: the SP's answer to a "refund" reaction it cannot carry out (a used ticket, an issuer's refusal). Signed by
// the SP, closed to the user.
export const refundRefusal = defineMessage({
  type: 'refundRefusal',
  ref: 'Tessera (refusal of a refund reaction, [1734])',
  sealed: true,
  fields: z
    .object({
      modificationNumber,
      ticketId,
      responseCode: z.enum(REFUND_REFUSALS),
      responseMessage: z.string().max(200),
      serviceProviderId: spId,
    })
    .strict(),
});

/** Refund information 13402: what the issuing system did, signed by the issuer. */
export const ISSUER_REFUND_INFORMATION_TYPE = 'issuerRefundInformation';
export const issuerRefundInformationBody = z
  .object({ ticketId, transactionNumber: refundTransactionNumber, requestNumber: refundRequestNumber, refundAmount: positiveMoney, cancelledAt: z.number().int().nonnegative(), ticketIssuerId: issuerId })
  .strict();

/** Refund information 13202 / 13418: what the service providing system did, signed by the SP. */
export const SP_REFUND_INFORMATION_TYPE = 'spRefundInformation';
export const spRefundInformationBody = z
  .object({
    ticketId,
    modificationNumber,
    requestNumber: refundRequestNumber,
    transactionNumber: refundTransactionNumber,
    refundAmount: positiveMoney,
    clearingOption: z.enum(REFUND_CLEARING_OPTIONS),
    /** 'temporary' on 8307, 'final' on 8211 and its delayed twin. */
    stage: z.enum(['temporary', 'final']),
    userId,
    serviceProviderId: spId,
    issuedAt: z.number().int().nonnegative(),
  })
  .strict();
export type SpRefundInformationBody = z.infer<typeof spRefundInformationBody>;

/**
 * Refund clearing information 13308-13309 / 13417: the refund clearing as the transaction processor answered it
 * (refundClearingResponse, verified under the processor's signature), attested by the SP, as the purchase does for its
 * clearing information: the processor's answer carries no separately signed part to forward.
 */
export const REFUND_CLEARING_INFORMATION_TYPE = 'refundClearingInformation';
export const refundClearingInformationBody = z
  .object({
    clearingNumber: z.number().int().positive(),
    transactionProcessorId: tpsId,
    refundAmount: positiveMoney,
    requestNumber: refundRequestNumber,
    transactionNumber: refundTransactionNumber,
    purchaseTransactionNumber: z.string().min(1).max(128),
    clearedAt: z.number().int().nonnegative(),
  })
  .strict();

export const REFUND_MESSAGES = [refundRequest, refundCommission, refundRequestRefusal, refundClearingCompletionNotification, refundReceipt, userRefundReceipt, temporaryRefundReceipt, refundRefusal];
