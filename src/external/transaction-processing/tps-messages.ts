import { z } from 'zod';
import { isPrincipalId } from '../../protocol/ids.js';
import { defineMessage, money } from '../../protocol/message.js';

/**
 * The messages the SP and the transaction processing system exchange. All are sealed to their addressee.
 * The spec's "clearing completion notification" is named `clearingResponse` here: it also carries refusals.
 */

/** Bounds the daily delayed-clearing batch so one message cannot hold the ledger for long. */
export const MAX_BATCH_ITEMS = 500;

const requestNumber = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'request number');
const transactionNumber = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'transaction number');
/** Prefix of the ledger's own funding accounts, which no message may name. */
export const FUNDING_ACCOUNT_PREFIX = 'funding:';
/** A clearing account at the transaction processor, e.g. `card-4711`, `iss-ticket-acme`. */
export const accountId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._:-]{0,95}$/, 'account ID')
  .refine((id) => !id.startsWith(FUNDING_ACCOUNT_PREFIX), 'funding accounts are the ledger\'s own');
const positiveMoney = money.refine((value) => value.amount > 0, 'amount must be positive');
const minorUnits = z.number().int().safe().nonnegative();
const time = z.number().int().nonnegative();

/** Account kinds a party may open. The ledger's own funding accounts (`funding:<currency>`) are not among them. */
export const ACCOUNT_KINDS = ['customer', 'issuer', 'merchant', 'provider'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const CLEARING_REFUSALS = [
  'insufficient-funds', // the payer's balance would fall below minus its credit limit
  'unknown-account', // payer or payee is not an open clearing account
  'currency-mismatch', // an account is kept in another currency than the amount
  'same-account', // payer and payee are one account
  'duplicate-transaction', // this transaction number was already cleared under another request number
  'expired', // the request's validity term is over
  'conflict', // the request number was used before for different content
] as const;
export type ClearingRefusal = (typeof CLEARING_REFUSALS)[number];

export const REFUND_REFUSALS = [
  'unknown-transaction', // no clearing of this transaction number by this sender
  'exceeds-cleared', // more than what was cleared and not yet refunded
  'insufficient-funds', // the payee's balance would fall below minus its credit limit
  'unknown-account', // the user clearing account to credit is not an open clearing account
  'same-account', // the account to credit is the payee's own
  'currency-mismatch', // the amount, or the account to credit, is in another currency than the clearing
  'expired',
  'conflict',
] as const;
export type RefundRefusal = (typeof REFUND_REFUSALS)[number];

export const ACCOUNT_OPEN_REFUSALS = ['account-exists', 'conflict'] as const;
export type AccountOpenRefusal = (typeof ACCOUNT_OPEN_REFUSALS)[number];

/** One clearing: the fields of a clearing request, and one item of a batch. */
export const clearingItem = z
  .object({
    /** Issued by the mobile user terminal [1589]; the idempotency key, per sender. */
    requestNumber,
    /** Issued by the issuing system [1589]; cleared at most once per sender. */
    transactionNumber,
    /** The user clearing account (the credit card behind the payment service code). */
    payer: accountId,
    /** The issuer's (or merchant's) clearing account. */
    payee: accountId,
    amount: positiveMoney,
    description: z.string().max(200),
    /** The validity term [1589], ms since the epoch. */
    validUntil: time.optional(),
  })
  .strict();
export type ClearingItem = z.infer<typeof clearingItem>;

export const clearingOutcome = z.discriminatedUnion('result', [
  z.object({ requestNumber, transactionNumber, result: z.literal('cleared'), clearingNumber: z.number().int().positive(), clearedAt: time }).strict(),
  z.object({ requestNumber, transactionNumber, result: z.literal('refused'), refusal: z.enum(CLEARING_REFUSALS) }).strict(),
]);
export type ClearingOutcome = z.infer<typeof clearingOutcome>;

/** Asks the transaction processor to clear the price of a purchase, payer to payee. 5904, 6007 [1589] */
export const clearingRequest = defineMessage({ type: 'clearingRequest', ref: '5904, 6007 [1589]', sealed: true, fields: clearingItem });

/** Answers a clearing request: cleared with a clearing number, or refused with a reason. 5905, 6008 [1591] */
export const clearingResponse = defineMessage({ type: 'clearingResponse', ref: '5905, 6008 [1591]', sealed: true, fields: clearingOutcome });

export const refundClearingFields = z
  .object({
    requestNumber,
    /** The transaction number of the clearing being refunded. */
    transactionNumber,
    /** At most what was cleared and not yet refunded. */
    amount: positiveMoney,
    /**
     * The user clearing account 13213 credited [1742]: the current holder's when the ticket changed hands since the
     * purchase. Absent: the original clearing's payer, as before.
     */
    userClearingAccount: accountId.optional(),
    validUntil: time.optional(),
  })
  .strict();
export type RefundClearingFields = z.infer<typeof refundClearingFields>;

export const refundOutcome = z.discriminatedUnion('result', [
  z
    .object({
      requestNumber,
      transactionNumber,
      result: z.literal('cleared'),
      clearingNumber: z.number().int().positive(),
      clearedAt: time,
      /** What may still be refunded of the original clearing. */
      refundable: money,
    })
    .strict(),
  z.object({ requestNumber, transactionNumber, result: z.literal('refused'), refusal: z.enum(REFUND_REFUSALS) }).strict(),
]);
export type RefundOutcome = z.infer<typeof refundOutcome>;

/** Asks the transaction processor to pay (part of) a cleared price back, payee to the user clearing account (by default the payer). 8207 [1742] */
export const refundClearingRequest = defineMessage({ type: 'refundClearingRequest', ref: '8207 [1742]', sealed: true, fields: refundClearingFields });

/** Answers a refund clearing request (the refund clearing completion notification, or its refusal). 8208 [1744] */
export const refundClearingResponse = defineMessage({ type: 'refundClearingResponse', ref: '8208 [1744]', sealed: true, fields: refundOutcome });

export const clearingBatchFields = z.object({ requestNumber, items: z.array(clearingItem).min(1).max(MAX_BATCH_ITEMS) }).strict();
export type ClearingBatchFields = z.infer<typeof clearingBatchFields>;

export const clearingBatchOutcome = z.discriminatedUnion('result', [
  /** One outcome per item, in the items' order; each item is cleared or refused on its own. */
  z.object({ requestNumber, result: z.literal('processed'), results: z.array(clearingOutcome).max(MAX_BATCH_ITEMS) }).strict(),
  z.object({ requestNumber, result: z.literal('refused'), refusal: z.literal('conflict') }).strict(),
]);
export type ClearingBatchOutcome = z.infer<typeof clearingBatchOutcome>;

/** The delayed clearings of a period, sent together ("once a day"). 6007 [1614], [1620] */
export const clearingBatchRequest = defineMessage({ type: 'clearingBatchRequest', ref: '6007 [1614], [1620]', sealed: true, fields: clearingBatchFields });

/** Answers a clearing batch with every item's outcome in one message. 6008 [1614], [1620] */
export const clearingBatchResponse = defineMessage({ type: 'clearingBatchResponse', ref: '6008 [1614], [1620]', sealed: true, fields: clearingBatchOutcome });

export const accountOpenFields = z
  .object({
    requestNumber,
    account: accountId,
    /** The principal the account belongs to (a user, an issuer, a merchant, the SP). */
    owner: z.string().refine(isPrincipalId, 'not a principal ID'),
    currency: z.string().regex(/^[A-Z]{3}$/),
    kind: z.enum(ACCOUNT_KINDS),
    /** How far below zero the balance may go, in minor units (a credit card's limit). */
    creditLimit: minorUnits,
    /** Credited at opening against the ledger's funding account, in minor units. */
    initialFunding: minorUnits,
  })
  .strict();
export type AccountOpenFields = z.infer<typeof accountOpenFields>;

export const accountOpenOutcome = z.discriminatedUnion('result', [
  z.object({ requestNumber, account: accountId, result: z.literal('opened'), balance: money }).strict(),
  z.object({ requestNumber, account: accountId, result: z.literal('refused'), refusal: z.enum(ACCOUNT_OPEN_REFUSALS) }).strict(),
]);
export type AccountOpenOutcome = z.infer<typeof accountOpenOutcome>;

/** Opens a clearing account with an initial funding. Not in the spec, which leaves accounts to the processor. */
export const accountOpenRequest = defineMessage({ type: 'accountOpenRequest', ref: 'Tessera (accounts precede [1589])', sealed: true, fields: accountOpenFields });

/** Answers an account open request. */
export const accountOpenResponse = defineMessage({ type: 'accountOpenResponse', ref: 'Tessera (accounts precede [1589])', sealed: true, fields: accountOpenOutcome });

/** What the transaction processing system receives: register these in its registry. */
export const transactionProcessingRequests = [clearingRequest, refundClearingRequest, clearingBatchRequest, accountOpenRequest] as const;
/** What the SP receives from it: register these in the SP's registry. */
export const transactionProcessingResponses = [clearingResponse, refundClearingResponse, clearingBatchResponse, accountOpenResponse] as const;
