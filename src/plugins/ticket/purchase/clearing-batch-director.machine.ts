import { assign, emit, enqueueActions, setup } from 'xstate';
import type { Effect, ExternalReplyEvent, TaskCompletedEvent } from '../../../actors/effects.js';
import { clearingBatchOutcome, type AccountOpenFields, type ClearingItem } from '../../../external/transaction-processing/tps-messages.js';
import { exchangeWith, runTask } from './director-kit.js';
import { PURCHASE_TASKS } from './purchase-request.js';

export interface ClearingBatchDirectorInput {
  readonly pg: string;
  readonly spId: string;
  readonly tpsId: string;
}

interface Collected {
  readonly purchases: string[];
  readonly items: ClearingItem[];
  readonly accountsToOpen: AccountOpenFields[];
}

interface ClearingBatchDirectorContext extends ClearingBatchDirectorInput {
  readonly purchases: readonly string[];
  readonly items: readonly ClearingItem[];
  readonly accountsPending: readonly string[];
}

type DirectorEvent = { type: 'process.start'; pg: string } | ExternalReplyEvent | TaskCompletedEvent;

const collected = (event: DirectorEvent): Collected | undefined => (event.type === 'task.completed' && event.task === PURCHASE_TASKS.collectBatch ? (event.result as Collected) : undefined);
const tpsReply = (context: ClearingBatchDirectorContext, event: DirectorEvent, type: string): ExternalReplyEvent | undefined =>
  event.type === 'external.reply' && event.messageType === type && event.from === context.tpsId ? event : undefined;

/**
 * The delayed clearing batch [1613]-[1620] ("once a day, with other clearing processes"): takes every delayed purchase
 * waiting, opens clearing accounts not yet open, sends them as one clearing batch (6007) and hands each purchase's
 * outcome (6008) to its own purchase director, which goes on with the issuer.
 */
export const clearingBatchDirectorMachine = setup({
  types: { context: {} as ClearingBatchDirectorContext, input: {} as ClearingBatchDirectorInput, events: {} as DirectorEvent, emitted: {} as Effect },
  guards: {
    isCollected: ({ event }) => collected(event) !== undefined,
    nothingToClear: ({ context }) => context.items.length === 0,
    noAccountsToOpen: ({ context }) => context.accountsPending.length === 0,
    isAccountOpened: ({ context, event }) => tpsReply(context, event, 'accountOpenResponse') !== undefined,
    isBatchAnswer: ({ context, event }) => clearingBatchOutcome.safeParse(tpsReply(context, event, 'clearingBatchResponse')?.fields).success,
  },
  actions: {
    collect: emit(({ context }) => runTask(context.pg, PURCHASE_TASKS.collectBatch, 'collect', { pg: context.pg })),
    recordCollected: assign(({ event }) => {
      const result = collected(event);
      return { purchases: result?.purchases ?? [], items: result?.items ?? [], accountsPending: (result?.accountsToOpen ?? []).map((fields) => fields.account) };
    }),
    openAccounts: enqueueActions(({ context, event, enqueue }) => {
      for (const fields of collected(event)?.accountsToOpen ?? []) enqueue.emit(exchangeWith(context.pg, context.spId, context.tpsId, 'accountOpenRequest', { ...fields }));
    }),
    recordAccountOpened: assign({
      accountsPending: ({ context, event }) => {
        const fields = tpsReply(context, event, 'accountOpenResponse')?.fields as { account?: string } | undefined;
        return context.accountsPending.filter((account) => account !== fields?.account);
      },
    }),
    sendBatch: emit(({ context }) => exchangeWith(context.pg, context.spId, context.tpsId, 'clearingBatchRequest', { requestNumber: `batch:${context.pg.split(':')[2] ?? context.pg}`, items: [...context.items] })),
    handOutOutcomes: enqueueActions(({ context, event, enqueue }) => {
      const parsed = clearingBatchOutcome.safeParse(tpsReply(context, event, 'clearingBatchResponse')?.fields);
      if (!parsed.success || parsed.data.result !== 'processed') return;
      parsed.data.results.forEach((outcome, index) => {
        const purchase = context.purchases[index];
        if (purchase !== undefined) enqueue.emit({ type: 'effect.actor', actorId: purchase, kind: 'director:ticket-purchase', event: { type: 'clearing.batched', pg: purchase, outcome } });
      });
    }),
  },
}).createMachine({
  id: 'clearingBatchDirector',
  context: ({ input }) => ({ ...input, purchases: [], items: [], accountsPending: [] }),
  initial: 'starting',
  states: {
    starting: { on: { 'process.start': { target: 'collecting', actions: 'collect' } } },
    collecting: {
      on: {
        'task.completed': [
          { guard: 'isCollected', target: 'openingAccounts', actions: ['recordCollected', 'openAccounts'] },
        ],
      },
    },
    openingAccounts: {
      always: [
        { guard: 'nothingToClear', target: 'done' },
        { guard: 'noAccountsToOpen', target: 'clearing', actions: 'sendBatch' },
      ],
      on: { 'external.reply': { guard: 'isAccountOpened', actions: 'recordAccountOpened' } },
    },
    clearing: { on: { 'external.reply': { guard: 'isBatchAnswer', target: 'done', actions: 'handOutOutcomes' } } },
    done: { type: 'final' },
  },
});
