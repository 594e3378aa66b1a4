import { assign, emit, enqueueActions, setup } from 'xstate';
import type { Effect, ExternalReplyEvent, TaskCompletedEvent } from '../../../actors/effects.js';
import { clearingOutcome, type AccountOpenFields, type ClearingOutcome } from '../../../external/transaction-processing/tps-messages.js';
import { exchangeWith, pack, runTask, toUser, unpack, type PackedMessage } from './director-kit.js';
import { issuerTicketPurchaseRefusal, type TicketPurchaseResponseCode } from './purchase.messages.js';
import { PURCHASE_TASKS, type TicketPurchaseRequest } from './purchase-request.js';
import type { ClearedResult, CommissionResult } from './purchase.tasks.js';

export interface TicketPurchaseDirectorInput {
  readonly pg: string;
  readonly spId: string;
  readonly request: TicketPurchaseRequest;
}

interface TicketPurchaseDirectorContext extends TicketPurchaseDirectorInput {
  readonly tpsId: string;
  readonly transactionNumber: string | null;
  readonly clearingRequest: Record<string, unknown> | null;
  readonly accountsPending: readonly string[];
  readonly responseCode: TicketPurchaseResponseCode | null;
}

/** The batch's answer for this purchase's delayed clearing (6008), delivered by the clearing batch director. */
export interface ClearingBatchedEvent {
  readonly type: 'clearing.batched';
  readonly pg: string;
  readonly outcome: ClearingOutcome;
}

type DirectorEvent = { type: 'process.start'; pg: string; tpsId?: string } | ExternalReplyEvent | TaskCompletedEvent | ClearingBatchedEvent;

const reply = (event: DirectorEvent, messageType: string): ExternalReplyEvent | undefined => (event.type === 'external.reply' && event.messageType === messageType ? event : undefined);
const taskResult = <R>(event: DirectorEvent, task: string): R | undefined => (event.type === 'task.completed' && event.task === task ? (event.result as R) : undefined);
const fromIssuer = (context: TicketPurchaseDirectorContext, event: DirectorEvent, messageType: string) => reply(event, messageType)?.from === context.request.issuerId;
const fromTps = (context: TicketPurchaseDirectorContext, event: DirectorEvent, messageType: string) => reply(event, messageType)?.from === context.tpsId;

function packedFields(event: DirectorEvent): string {
  return event.type === 'external.reply' ? pack(event.fields) : '';
}

/** The clearing answer of this purchase, from the TPS (5905) or the batch (6008). */
function clearingAnswer(context: TicketPurchaseDirectorContext, event: DirectorEvent): ClearingOutcome | undefined {
  const raw = event.type === 'clearing.batched' ? event.outcome : fromTps(context, event, 'clearingResponse') ? reply(event, 'clearingResponse')?.fields : undefined;
  const parsed = clearingOutcome.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The service director of one ticket purchase [1576]-[1620]. Purchase order 5902 to the issuer; its commission 5903
 * checked and turned into tickets (task); then spontaneous clearing (5904/5905 with the TPS, 5906/5907 with the
 * issuer, tickets 5908 and receipt 5909 to the user) or delayed clearing (tickets 6004 and temporary receipt 6005 at
 * once; the clearing batch answers later, then 6009/6010 with the issuer and the final receipt waits for the next data
 * update 6011). A refused clearing cancels the commission at the issuer and the user gets a response code.
 */
export const ticketPurchaseDirectorMachine = setup({
  types: {
    context: {} as TicketPurchaseDirectorContext,
    input: {} as TicketPurchaseDirectorInput & { readonly tpsId?: string },
    events: {} as DirectorEvent,
    emitted: {} as Effect,
  },
  guards: {
    isCommission: ({ context, event }) => fromIssuer(context, event, 'electronicTicketIssuingCommission'),
    isIssuerRefusal: ({ context, event }) => fromIssuer(context, event, issuerTicketPurchaseRefusal.type),
    commissionInvalid: ({ event }) => taskResult<CommissionResult>(event, PURCHASE_TASKS.commission)?.outcome === 'invalid',
    commissionSpontaneous: ({ event }) => taskResult<CommissionResult>(event, PURCHASE_TASKS.commission)?.outcome === 'spontaneous',
    commissionDelayed: ({ event }) => taskResult<CommissionResult>(event, PURCHASE_TASKS.commission)?.outcome === 'delayed',
    noAccountsToOpen: ({ context }) => context.accountsPending.length === 0,
    isAccountOpened: ({ context, event }) => fromTps(context, event, 'accountOpenResponse'),
    isClearingAnswer: ({ context, event }) => clearingAnswer(context, event) !== undefined,
    isCleared: ({ event }) => taskResult<ClearedResult>(event, PURCHASE_TASKS.cleared)?.outcome === 'cleared',
    isClearingRefused: ({ event }) => taskResult<ClearedResult>(event, PURCHASE_TASKS.cleared)?.outcome === 'refused',
    isReceipt: ({ context, event }) => fromIssuer(context, event, 'issuerTicketReceipt'),
    isReceiptTaken: ({ event }) => taskResult(event, PURCHASE_TASKS.receipt) !== undefined,
    isCancelled: ({ context, event }) => fromIssuer(context, event, 'ticketIssuingCancelled'),
    isCancellationTaken: ({ event }) => taskResult(event, PURCHASE_TASKS.cancelled) !== undefined,
  },
  actions: {
    orderFromIssuer: emit(({ context }) => {
      const { request } = context;
      return exchangeWith(context.pg, context.spId, request.issuerId, 'issuerTicketPurchaseOrder', {
        offerNumber: request.offerNumber,
        paymentServiceCode: request.paymentServiceCode,
        paymentValue: request.paymentValue,
        paymentOptionCode: request.paymentOptionCode,
        requestNumber: request.requestNumber,
        customerNumber: request.customerNumber,
        validUntil: request.validUntil,
        serviceProviderId: context.spId,
      });
    }),
    checkCommission: emit(({ context, event }) => runTask(context.pg, PURCHASE_TASKS.commission, 'commission', { pg: context.pg, request: context.request, commission: packedFields(event) })),
    recordIssuerRefusal: assign({
      responseCode: ({ event }) => {
        const parsed = issuerTicketPurchaseRefusal.fields.safeParse(reply(event, issuerTicketPurchaseRefusal.type)?.fields);
        return parsed.success ? parsed.data.responseCode : 'issuing-failed';
      },
    }),
    recordCommission: assign(({ event }) => {
      const result = taskResult<CommissionResult>(event, PURCHASE_TASKS.commission);
      if (result === undefined) return {};
      if (result.outcome !== 'spontaneous') return { transactionNumber: result.transactionNumber, responseCode: result.outcome === 'invalid' ? ('issuing-failed' as const) : null };
      return { transactionNumber: result.transactionNumber, clearingRequest: { ...result.clearing }, accountsPending: result.accountsToOpen.map((fields) => fields.account) };
    }),
    openAccounts: enqueueActions(({ context, event, enqueue }) => {
      const result = taskResult<CommissionResult>(event, PURCHASE_TASKS.commission);
      const accounts: AccountOpenFields[] = result?.outcome === 'spontaneous' ? result.accountsToOpen : [];
      for (const fields of accounts) enqueue.emit(exchangeWith(context.pg, context.spId, context.tpsId, 'accountOpenRequest', { ...fields }));
    }),
    recordAccountOpened: assign({
      accountsPending: ({ context, event }) => {
        const fields = reply(event, 'accountOpenResponse')?.fields as { account?: string } | undefined;
        return context.accountsPending.filter((account) => account !== fields?.account);
      },
    }),
    requestClearing: emit(({ context }) => exchangeWith(context.pg, context.spId, context.tpsId, 'clearingRequest', { ...(context.clearingRequest ?? {}), validUntil: context.request.validUntil })),
    sendPackedToUser: enqueueActions(({ context, event, enqueue }) => {
      const result = event.type === 'task.completed' ? (event.result as { toUser?: PackedMessage[] }) : {};
      for (const message of result.toUser ?? []) enqueue.emit(toUser(context.request, message.messageType, unpack(message.fields)));
    }),
    recordClearing: emit(({ context, event }) => runTask(context.pg, PURCHASE_TASKS.cleared, 'cleared', { pg: context.pg, outcome: clearingAnswer(context, event) })),
    notifyIssuerOfClearing: emit(({ context, event }) => {
      const result = taskResult<ClearedResult>(event, PURCHASE_TASKS.cleared);
      return exchangeWith(context.pg, context.spId, context.request.issuerId, 'ticketClearingCompletion', result?.outcome === 'cleared' ? (unpack(result.completion) as Record<string, unknown>) : {});
    }),
    cancelAtIssuerAfterClearing: emit(({ context, event }) => {
      const result = taskResult<ClearedResult>(event, PURCHASE_TASKS.cleared);
      return exchangeWith(context.pg, context.spId, context.request.issuerId, 'ticketIssuingCancellation', result?.outcome === 'refused' ? (unpack(result.cancellation) as Record<string, unknown>) : {});
    }),
    recordClearingRefused: assign({ responseCode: () => 'clearing-refused' as const }),
    cancelAtIssuer: emit(({ context }) =>
      exchangeWith(context.pg, context.spId, context.request.issuerId, 'ticketIssuingCancellation', {
        requestNumber: context.request.requestNumber,
        transactionNumber: context.transactionNumber ?? '0',
        customerNumber: context.request.customerNumber,
        reason: 'the commission did not pass the service provider\'s checks',
        serviceProviderId: context.spId,
      }),
    ),
    takeReceipt: emit(({ context, event }) => runTask(context.pg, PURCHASE_TASKS.receipt, 'receipt', { pg: context.pg, receipt: packedFields(event) })),
    closeCancelled: emit(({ context }) => runTask(context.pg, PURCHASE_TASKS.cancelled, 'cancelled', { pg: context.pg, request: context.request, responseCode: context.responseCode ?? 'issuing-failed' })),
  },
}).createMachine({
  id: 'ticketPurchaseDirector',
  context: ({ input }) => ({ pg: input.pg, spId: input.spId, request: input.request, tpsId: input.tpsId ?? '', transactionNumber: null, clearingRequest: null, accountsPending: [], responseCode: null }),
  initial: 'starting',
  states: {
    starting: { on: { 'process.start': { target: 'awaitingCommission', actions: 'orderFromIssuer' } } },
    awaitingCommission: {
      on: {
        'external.reply': [
          { guard: 'isCommission', target: 'checkingCommission', actions: 'checkCommission' },
          { guard: 'isIssuerRefusal', target: 'closingCancelled', actions: ['recordIssuerRefusal', 'closeCancelled'] },
        ],
      },
    },
    checkingCommission: {
      on: {
        'task.completed': [
          { guard: 'commissionInvalid', target: 'cancelling', actions: ['recordCommission', 'cancelAtIssuer'] },
          { guard: 'commissionSpontaneous', target: 'openingAccounts', actions: ['recordCommission', 'openAccounts'] },
          { guard: 'commissionDelayed', target: 'awaitingDelayedClearing', actions: ['recordCommission', 'sendPackedToUser'] },
        ],
      },
    },
    openingAccounts: {
      always: { guard: 'noAccountsToOpen', target: 'clearing', actions: 'requestClearing' },
      on: { 'external.reply': { guard: 'isAccountOpened', actions: 'recordAccountOpened' } },
    },
    clearing: { on: { 'external.reply': { guard: 'isClearingAnswer', target: 'recordingClearing', actions: 'recordClearing' } } },
    awaitingDelayedClearing: { on: { 'clearing.batched': { guard: 'isClearingAnswer', target: 'recordingClearing', actions: 'recordClearing' } } },
    recordingClearing: {
      on: {
        'task.completed': [
          { guard: 'isCleared', target: 'awaitingReceipt', actions: 'notifyIssuerOfClearing' },
          { guard: 'isClearingRefused', target: 'cancelling', actions: ['recordClearingRefused', 'cancelAtIssuerAfterClearing'] },
        ],
      },
    },
    awaitingReceipt: { on: { 'external.reply': { guard: 'isReceipt', target: 'completing', actions: 'takeReceipt' } } },
    completing: { on: { 'task.completed': { guard: 'isReceiptTaken', target: 'completed', actions: 'sendPackedToUser' } } },
    cancelling: { on: { 'external.reply': { guard: 'isCancelled', target: 'closingCancelled', actions: 'closeCancelled' } } },
    closingCancelled: { on: { 'task.completed': { guard: 'isCancellationTaken', target: 'cancelled', actions: 'sendPackedToUser' } } },
    completed: { type: 'final' },
    cancelled: { type: 'final' },
  },
});
