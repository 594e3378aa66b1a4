import { assign, emit, enqueueActions, setup } from 'xstate';
import type { Effect, ExternalReplyEvent, SendEffect, TaskCompletedEvent } from '../../../actors/effects.js';
import { refundOutcome, type RefundClearingFields } from '../../../external/transaction-processing/tps-messages.js';
import type { Money } from '../../../protocol/message.js';
import { exchangeWith, runTask, unpack } from '../purchase/director-kit.js';
import { nextRefundBatchAt } from './refund-batch.js';
import { REFUND_TASKS, tpsRefundRequestNumber, type RefundRequested } from './refund-request.js';
import { REFUND_RESPONSE_MESSAGES, type RefundRefusalCode } from './refund.messages.js';
import type { CommissionedResult, PackedResult, PrepareRefundResult, ReceiptedResult } from './refund.tasks.js';

export interface RefundDirectorInput {
  readonly pg: string;
  readonly spId: string;
  readonly refund: RefundRequested;
}

interface RefundDirectorContext extends RefundDirectorInput {
  readonly requestNumber: string | null;
  readonly customerNumber: string | null;
  readonly clearing: {
    readonly transactionNumber: string;
    readonly amount: Money;
    readonly tpsId: string;
    /** The holder's user clearing account 13213 when the ticket was transferred (absent: the purchase's payer). */
    readonly userClearingAccount?: string;
    /** Accounts asked to be opened at the TPS and not yet answered; the clearing waits for them (absent: none). */
    readonly accountsPending?: readonly string[];
  } | null;
  /** Refund clearing requests sent so far: each retry has its own request number at the processor. */
  readonly attempt: number;
  /** Set once the refund is left to the batch (its temporary receipt sent): a refused clearing then waits for the next batch. */
  readonly deferred: boolean;
  /** The next daily batch, while the refund waits for it (a durable wait). */
  readonly deadlineAt: number | null;
  readonly outcome: string | null;
}

type DirectorEvent = { type: 'process.start'; pg: string } | TaskCompletedEvent | ExternalReplyEvent | { type: 'clock.deadline'; at: number } | { type: 'refund.batch.due'; pg: string; at?: number };

const resultOf = <R>(event: DirectorEvent, task: string): R | undefined => (event.type === 'task.completed' && event.task === task ? (event.result as R) : undefined);
const issuerReply = (context: RefundDirectorContext, event: DirectorEvent, type: string) => (event.type === 'external.reply' && event.messageType === type && event.from === context.refund.issuerId ? event : undefined);
const tpsOutcome = (context: RefundDirectorContext, event: DirectorEvent) => {
  if (event.type !== 'external.reply' || event.messageType !== 'refundClearingResponse' || event.from !== context.clearing?.tpsId) return undefined;
  const parsed = refundOutcome.safeParse(event.fields);
  return parsed.success ? parsed.data : undefined;
};
const at = (event: DirectorEvent): number => ('at' in event && typeof event.at === 'number' ? event.at : 0);

function toUser(context: RefundDirectorContext, messageType: string, fields: unknown): SendEffect {
  const { refund } = context;
  return { type: 'effect.send', channel: 'device', via: refund.terminalId, to: refund.userId as SendEffect['to'], messageType, fields, pg: context.pg, ...(refund.requestId === null ? {} : { re: refund.requestId }) };
}

function refusalCode(context: RefundDirectorContext, event: DirectorEvent): RefundRefusalCode {
  const prepared = resultOf<PrepareRefundResult>(event, REFUND_TASKS.prepare);
  if (prepared?.outcome === 'refused') return prepared.responseCode;
  const issuer = issuerReply(context, event, 'refundRequestRefusal')?.fields as { responseCode?: RefundRefusalCode } | undefined;
  return issuer?.responseCode ?? 'not-refundable';
}

/**
 * The service director of one ticket refund ([1734]-[1766]), opened when a user's reaction is "refund": it checks the
 * ticket is unused, asks the issuer to cancel it (refund request 8205 / 8305) and, by the refund commission's clearing
 * option, clears the refund at once (8207-8211) or sends the temporary refund receipt 8307 and clears it in the daily
 * batch (8309-8312), the final receipt reaching the user with the next data update (8313).
 */
export const refundDirectorMachine = setup({
  types: { context: {} as RefundDirectorContext, input: {} as RefundDirectorInput, events: {} as DirectorEvent, emitted: {} as Effect },
  guards: {
    requested: ({ event }) => resultOf<PrepareRefundResult>(event, REFUND_TASKS.prepare)?.outcome === 'requested',
    prepareRefused: ({ event }) => resultOf<PrepareRefundResult>(event, REFUND_TASKS.prepare)?.outcome === 'refused',
    isCommission: ({ context, event }) => issuerReply(context, event, 'refundCommission') !== undefined,
    isIssuerRefusal: ({ context, event }) => issuerReply(context, event, 'refundRequestRefusal') !== undefined,
    clearsNow: ({ event }) => resultOf<CommissionedResult>(event, REFUND_TASKS.commissioned)?.outcome === 'immediate',
    clearsInBatch: ({ event }) => resultOf<CommissionedResult>(event, REFUND_TASKS.commissioned)?.outcome === 'delayed',
    commissionInvalid: ({ event }) => resultOf<CommissionedResult>(event, REFUND_TASKS.commissioned)?.outcome === 'invalid',
    noAccountsToOpen: ({ context }) => (context.clearing?.accountsPending ?? []).length === 0,
    isAccountOpened: ({ context, event }) => event.type === 'external.reply' && event.messageType === 'accountOpenResponse' && event.from === context.clearing?.tpsId,
    refundCleared: ({ context, event }) => tpsOutcome(context, event)?.result === 'cleared',
    firstClearingRefused: ({ context, event }) => tpsOutcome(context, event)?.result === 'refused' && !context.deferred,
    batchClearingRefused: ({ context, event }) => tpsOutcome(context, event)?.result === 'refused',
    isDeferred: ({ event }) => resultOf(event, REFUND_TASKS.defer) !== undefined,
    isClearedRecorded: ({ event }) => resultOf(event, REFUND_TASKS.cleared) !== undefined,
    isRefundReceipt: ({ context, event }) => issuerReply(context, event, 'refundReceipt') !== undefined,
    receiptToSendNow: ({ event }) => { const result = resultOf<ReceiptedResult>(event, REFUND_TASKS.receipted); return result?.outcome === 'receipted' && result.deliverNow; },
    receiptForUpdate: ({ event }) => { const result = resultOf<ReceiptedResult>(event, REFUND_TASKS.receipted); return result?.outcome === 'receipted' && !result.deliverNow; },
    receiptInvalid: ({ event }) => resultOf<ReceiptedResult>(event, REFUND_TASKS.receipted)?.outcome === 'invalid',
  },
  actions: {
    prepare: emit(({ context }) => runTask(context.pg, REFUND_TASKS.prepare, 'prepare', { pg: context.pg, refund: context.refund })),
    recordRequest: assign(({ event }) => {
      const result = resultOf<PrepareRefundResult>(event, REFUND_TASKS.prepare);
      return result?.outcome === 'requested' ? { requestNumber: result.requestNumber, customerNumber: result.customerNumber } : {};
    }),
    requestRefund: emit(({ context }) =>
      exchangeWith(context.pg, context.spId, context.refund.issuerId, 'refundRequest', {
        modificationNumber: context.refund.modificationNumber,
        ticketId: context.refund.ticketId,
        requestNumber: context.requestNumber,
        customerNumber: context.customerNumber,
        serviceProviderId: context.spId,
      }),
    ),
    recordCommission: emit(({ context, event }) =>
      runTask(context.pg, REFUND_TASKS.commissioned, 'commissioned', { pg: context.pg, userId: context.refund.userId, requestNumber: context.requestNumber, commission: issuerReply(context, event, 'refundCommission')?.fields }),
    ),
    recordClearing: assign({
      clearing: ({ event }) => {
        const result = resultOf<CommissionedResult>(event, REFUND_TASKS.commissioned);
        if (result === undefined || result.outcome === 'invalid') return null;
        const { userClearingAccount } = result.clearing;
        return {
          transactionNumber: result.clearing.transactionNumber,
          amount: result.clearing.amount,
          tpsId: result.tpsId,
          ...(userClearingAccount === undefined ? {} : { userClearingAccount }),
          accountsPending: result.accountsToOpen.map((fields) => fields.account),
        };
      },
    }),
    /** The holder's card account is opened at the TPS (as a purchase opens its payer's) before any refund clearing names it. */
    openAccounts: enqueueActions(({ context, event, enqueue }) => {
      const result = resultOf<CommissionedResult>(event, REFUND_TASKS.commissioned);
      if (result === undefined || result.outcome === 'invalid') return;
      for (const fields of result.accountsToOpen) enqueue.emit(exchangeWith(context.pg, context.spId, result.tpsId, 'accountOpenRequest', { ...fields }));
    }),
    recordAccountOpened: assign({
      clearing: ({ context, event }) => {
        const answered = event.type === 'external.reply' ? (event.fields as { account?: unknown }).account : undefined;
        return context.clearing === null ? null : { ...context.clearing, accountsPending: (context.clearing.accountsPending ?? []).filter((account) => account !== answered) };
      },
    }),
    requestClearing: emit(({ context, event }) => {
      const clearing = context.clearing;
      const fields: RefundClearingFields = {
        requestNumber: tpsRefundRequestNumber(context.requestNumber ?? '', context.attempt + 1),
        transactionNumber: clearing?.transactionNumber ?? '',
        amount: clearing?.amount ?? { amount: 0, currency: 'XXX' },
        ...(clearing?.userClearingAccount === undefined ? {} : { userClearingAccount: clearing.userClearingAccount }),
        validUntil: at(event) + 3600_000,
      };
      return exchangeWith(context.pg, context.spId, clearing?.tpsId ?? '', 'refundClearingRequest', { ...fields });
    }),
    countAttempt: assign({ attempt: ({ context }) => context.attempt + 1, deadlineAt: () => null }),
    sendTemporaryReceipt: emit(({ context, event }) => {
      const commissioned = resultOf<CommissionedResult>(event, REFUND_TASKS.commissioned);
      const packed = commissioned?.outcome === 'delayed' ? commissioned.temporaryReceipt : (resultOf<PackedResult>(event, REFUND_TASKS.defer)?.fields ?? '');
      return toUser(context, 'temporaryRefundReceipt', unpack(packed));
    }),
    waitForBatch: assign({ deadlineAt: ({ event }) => nextRefundBatchAt(at(event)), deferred: () => true }),
    deferToBatch: emit(({ context, event }) => {
      const outcome = tpsOutcome(context, event);
      return runTask(context.pg, REFUND_TASKS.defer, 'defer', { pg: context.pg, userId: context.refund.userId, requestNumber: context.requestNumber, reason: outcome?.result === 'refused' ? outcome.refusal : 'refused' });
    }),
    alertBatchRefusal: emit(({ context, event }) => {
      const outcome = tpsOutcome(context, event);
      return runTask(context.pg, REFUND_TASKS.alert, `alert-${context.attempt}`, { pg: context.pg, userId: context.refund.userId, message: `refund clearing of ${context.refund.ticketId} refused (${outcome?.result === 'refused' ? outcome.refusal : '?'}): retried at the next batch` });
    }),
    recordCleared: emit(({ context, event }) => {
      const outcome = tpsOutcome(context, event);
      return runTask(context.pg, REFUND_TASKS.cleared, 'cleared', { requestNumber: context.requestNumber, customerNumber: context.customerNumber, outcome });
    }),
    notifyIssuer: emit(({ context, event }) => exchangeWith(context.pg, context.spId, context.refund.issuerId, 'refundClearingCompletionNotification', unpack(resultOf<PackedResult>(event, REFUND_TASKS.cleared)?.fields ?? '') as Record<string, unknown>)),
    recordReceipt: emit(({ context, event }) => runTask(context.pg, REFUND_TASKS.receipted, 'receipted', { pg: context.pg, userId: context.refund.userId, requestNumber: context.requestNumber, receipt: issuerReply(context, event, 'refundReceipt')?.fields })),
    sendRefundReceipt: emit(({ context, event }) => {
      const result = resultOf<ReceiptedResult>(event, REFUND_TASKS.receipted);
      return toUser(context, 'userRefundReceipt', unpack(result?.outcome === 'receipted' ? result.receipt : ''));
    }),
    sendRefusal: emit(({ context, event }) => {
      const code = refusalCode(context, event);
      return toUser(context, 'refundRefusal', { modificationNumber: context.refund.modificationNumber, ticketId: context.refund.ticketId, responseCode: code, responseMessage: REFUND_RESPONSE_MESSAGES[code], serviceProviderId: context.spId });
    }),
    recordOutcome: assign({ outcome: ({ context, event }) => (event.type === 'task.completed' || event.type === 'external.reply' ? `${event.type === 'task.completed' ? event.task : event.messageType}: ${refusalCode(context, event)}` : null) }),
    recordRefunded: assign({ outcome: () => 'refunded', deadlineAt: () => null }),
    recordFailed: assign({ outcome: () => 'failed: raised to the management system', deadlineAt: () => null }),
  },
}).createMachine({
  id: 'ticketRefundDirector',
  context: ({ input }) => ({ ...input, requestNumber: null, customerNumber: null, clearing: null, attempt: 0, deferred: false, deadlineAt: null, outcome: null }),
  initial: 'starting',
  states: {
    starting: { on: { 'process.start': { target: 'preparing', actions: 'prepare' } } },
    preparing: {
      on: {
        'task.completed': [
          { guard: 'requested', target: 'awaitingCommission', actions: ['recordRequest', 'requestRefund'] },
          { guard: 'prepareRefused', target: 'refused', actions: ['recordOutcome', 'sendRefusal'] },
        ],
      },
    },
    awaitingCommission: {
      on: {
        'external.reply': [
          { guard: 'isCommission', target: 'commissioning', actions: 'recordCommission' },
          { guard: 'isIssuerRefusal', target: 'refused', actions: ['recordOutcome', 'sendRefusal'] },
        ],
      },
    },
    commissioning: {
      on: {
        'task.completed': [
          { guard: 'clearsNow', target: 'openingAccounts', actions: ['recordClearing', 'openAccounts'] },
          { guard: 'clearsInBatch', target: 'awaitingBatch', actions: ['recordClearing', 'openAccounts', 'sendTemporaryReceipt', 'waitForBatch'] },
          { guard: 'commissionInvalid', target: 'failed', actions: 'recordFailed' },
        ],
      },
    },
    openingAccounts: {
      always: { guard: 'noAccountsToOpen', target: 'clearing', actions: ['requestClearing', 'countAttempt'] },
      on: { 'external.reply': { guard: 'isAccountOpened', actions: 'recordAccountOpened' } },
    },
    clearing: {
      on: {
        'external.reply': [
          { guard: 'refundCleared', target: 'recordingClearing', actions: 'recordCleared' },
          { guard: 'firstClearingRefused', target: 'deferring', actions: 'deferToBatch' },
          { guard: 'batchClearingRefused', target: 'awaitingBatch', actions: ['alertBatchRefusal', 'waitForBatch'] },
        ],
      },
    },
    deferring: { on: { 'task.completed': { guard: 'isDeferred', target: 'awaitingBatch', actions: ['sendTemporaryReceipt', 'waitForBatch'] } } },
    awaitingBatch: {
      on: {
        'external.reply': { guard: 'isAccountOpened', actions: 'recordAccountOpened' },
        'clock.deadline': { target: 'openingAccounts' },
        'refund.batch.due': { target: 'openingAccounts' },
      },
    },
    recordingClearing: { on: { 'task.completed': { guard: 'isClearedRecorded', target: 'awaitingReceipt', actions: 'notifyIssuer' } } },
    awaitingReceipt: { on: { 'external.reply': { guard: 'isRefundReceipt', target: 'receipting', actions: 'recordReceipt' } } },
    receipting: {
      on: {
        'task.completed': [
          { guard: 'receiptToSendNow', target: 'refunded', actions: ['sendRefundReceipt', 'recordRefunded'] },
          { guard: 'receiptForUpdate', target: 'refunded', actions: 'recordRefunded' },
          { guard: 'receiptInvalid', target: 'failed', actions: 'recordFailed' },
        ],
      },
    },
    refunded: { type: 'final' },
    refused: { type: 'final' },
    failed: { type: 'final' },
  },
});
