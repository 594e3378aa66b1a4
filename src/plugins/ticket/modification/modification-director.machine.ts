import { assign, emit, enqueueActions, setup } from 'xstate';
import { fromBase64 } from '../../../common/bytes.js';
import type { Effect, SendEffect, TaskCompletedEvent } from '../../../actors/effects.js';
import { SERVICE_MANAGER_ID } from '../../../actors/processor-events.js';
import { FORCIBLE_UPDATE_TASK } from '../../../core/data-update/forcible-update-task.js';
import { decodeStrict } from '../../../protocol/cbor.js';
import type { ModificationCode, ReactionCode } from './modification.messages.js';
import { PLAN_MODIFICATION_TASK, type ModificationHolder, type PlanModificationResult } from './plan-modification.task.js';
import { ACCEPT_MODIFICATION_TASK, REFUSE_MODIFICATION_TASK, type AcceptModificationResult, type RefuseModificationResult } from './react-to-modification.task.js';

/** The verified modification request, as the external route hands it on (fields as base64 CBOR: context is JSON). */
export interface ModificationRequested {
  readonly requestId: string;
  readonly issuerId: string;
  readonly request: string;
}

export interface ModificationDirectorInput {
  readonly pg: string;
  readonly spId: string;
  readonly modification: ModificationRequested;
}

/** A verified reaction selection 8104, as the route hands it on. */
export interface ReactionSelected {
  readonly type: 'modification.reaction';
  readonly pg: string;
  readonly requestId: string;
  readonly ticketId: string;
  readonly userId: string;
  readonly reactionCode: ReactionCode;
  readonly requestNumber: string;
  readonly at?: number;
}

type HolderState = 'notified' | 'accepting' | 'accepted' | 'failed' | 'refusing' | 'refused' | 'refunding';

interface Holder extends ModificationHolder {
  readonly state: HolderState;
  /** The reaction that settled it (null when the time limit did). */
  readonly requestId: string | null;
  readonly requestNumber: string | null;
}

interface Plan {
  readonly modificationId: string;
  readonly modificationNumber: string;
  readonly modificationCode: ModificationCode;
  readonly modificationMessage: string;
  readonly timeLimit: number;
}

interface ModificationDirectorContext extends ModificationDirectorInput {
  readonly plan: Plan | null;
  readonly holders: Readonly<Record<string, Holder>>;
  readonly gatePush: 'none' | 'pushing' | 'pushed';
  /** The reply time limit: a durable wait (deadlines are data). */
  readonly deadlineAt: number | null;
  readonly outcome: string | null;
}

type DirectorEvent = { type: 'process.start'; pg: string } | TaskCompletedEvent | ReactionSelected | { type: 'clock.deadline'; at: number };

const resultOf = <R>(event: DirectorEvent, task: string): R | undefined => (event.type === 'task.completed' && event.task === task ? (event.result as R) : undefined);
const planOf = (event: DirectorEvent) => resultOf<PlanModificationResult>(event, PLAN_MODIFICATION_TASK);

/**
 * The reading of a reply after the reply time limit ([1724]), and of no reply at all: the modification stands (the
 * event changed whatever the user says), so the holder gets the modified ticket ("accept"), which keeps the value
 * they paid for; only a modification announced with a refund ("with-refund") pays the ticket back. "Refuse" is never
 * assumed: it would take a ticket away without paying it back.
 */
export const defaultReaction = (code: ModificationCode): ReactionCode => (code === 'with-refund' ? 'refund' : 'accept');

const isLate = (context: ModificationDirectorContext, event: ReactionSelected) => context.deadlineAt !== null && (event.at ?? 0) > context.deadlineAt;

function toHolder(context: ModificationDirectorContext, holder: Holder, messageType: string, fields: unknown): SendEffect {
  return { type: 'effect.send', channel: 'device', via: holder.terminalId, to: holder.userId as SendEffect['to'], messageType, fields, pg: context.pg, ...(holder.requestId === null ? {} : { re: holder.requestId }) };
}

/** Request number 13013 of a modification instruction no reaction asked for (the time limit passed): all zeros, as the spec's refusals use 0. */
export const NO_REQUEST_NUMBER = '0'.repeat(32);

/** The effect that carries out one holder's reaction, and the state the holder is in once it has been asked for. */
function reactionEffect(context: ModificationDirectorContext, holder: Holder, reaction: ReactionCode): { effect: Effect; state: HolderState } {
  const plan = context.plan as Plan;
  const input = { pg: context.pg, modificationId: plan.modificationId, ticketId: holder.ticketId, userId: holder.userId, requestNumber: holder.requestNumber ?? NO_REQUEST_NUMBER };
  if (reaction === 'refund') {
    const refundPg = `txn:ticket-refund:${holder.ticketId}`;
    const refund = { modificationId: plan.modificationId, modificationNumber: plan.modificationNumber, issuerId: context.modification.issuerId, ticketId: holder.ticketId, userId: holder.userId, terminalId: holder.terminalId, requestId: holder.requestId, modificationPg: context.pg };
    return { state: 'refunding', effect: { type: 'effect.actor', actorId: SERVICE_MANAGER_ID, kind: 'service-manager', input: { spId: context.spId }, event: { type: 'process.open', pg: refundPg, process: 'ticket-refund', input: { refund } } } };
  }
  const task = reaction === 'accept' ? ACCEPT_MODIFICATION_TASK : REFUSE_MODIFICATION_TASK;
  return { state: reaction === 'accept' ? 'accepting' : 'refusing', effect: { type: 'effect.task', task, key: `${task}:${context.pg}:${holder.ticketId}`, pg: context.pg, replyTo: context.pg, input } };
}

const settled = (holder: Holder) => holder.state !== 'notified' && holder.state !== 'accepting' && holder.state !== 'refusing';

/**
 * The service director of one ticket modification ([1717]-[1731]): it has the request checked and planned, pushes the
 * new examination program to the gates by forcible data updating when the template changes ([1719]-[1722]), sends
 * each holder the modification notice 8101, and waits (durably, until the reply time limit) for each reaction 8104:
 * "accept" generates the new ticket and sends the modification instruction 8105, "refuse" makes the ticket use
 * disabled, "refund" opens the ticket refund process ([1734]).
 */
export const modificationDirectorMachine = setup({
  types: {
    context: {} as ModificationDirectorContext,
    input: {} as ModificationDirectorInput,
    events: {} as DirectorEvent,
    emitted: {} as Effect,
  },
  guards: {
    planned: ({ event }) => planOf(event)?.outcome === 'planned',
    planRefused: ({ event }) => planOf(event)?.outcome === 'refused',
    isReactionOfHolder: ({ context, event }) => event.type === 'modification.reaction' && context.holders[event.ticketId]?.userId === event.userId && context.holders[event.ticketId]?.state === 'notified',
    isAcceptResult: ({ event }) => resultOf<AcceptModificationResult>(event, ACCEPT_MODIFICATION_TASK) !== undefined,
    isRefuseResult: ({ event }) => resultOf<RefuseModificationResult>(event, REFUSE_MODIFICATION_TASK) !== undefined,
    isGatePushResult: ({ event }) => resultOf(event, FORCIBLE_UPDATE_TASK) !== undefined,
    allSettled: ({ context }) => context.gatePush !== 'pushing' && Object.values(context.holders).every(settled),
  },
  actions: {
    planModification: emit(({ context }) => ({
      type: 'effect.task' as const,
      task: PLAN_MODIFICATION_TASK,
      key: `${PLAN_MODIFICATION_TASK}:${context.pg}`,
      pg: context.pg,
      replyTo: context.pg,
      input: { pg: context.pg, issuerId: context.modification.issuerId, request: context.modification.request },
    })),
    // The request is kept by the plan task; the snapshot need not carry it on every step.
    releaseRequest: assign({ modification: ({ context }) => ({ ...context.modification, request: '' }) }),
    recordPlan: assign(({ event }) => {
      const result = planOf(event);
      if (result?.outcome !== 'planned') return {};
      const holders: Record<string, Holder> = {};
      for (const holder of result.holders) holders[holder.ticketId] = { ...holder, state: 'notified', requestId: null, requestNumber: null };
      const { modificationId, modificationNumber, modificationCode, modificationMessage, timeLimit } = result;
      return { plan: { modificationId, modificationNumber, modificationCode, modificationMessage, timeLimit }, holders, gatePush: result.gateIds.length > 0 ? ('pushing' as const) : ('none' as const), deadlineAt: result.holders.length > 0 ? timeLimit : null };
    }),
    pushExaminationProgram: enqueueActions(({ context, event, enqueue }) => {
      const result = planOf(event);
      if (result?.outcome !== 'planned' || result.gateIds.length === 0) return;
      enqueue.emit({ type: 'effect.task', task: FORCIBLE_UPDATE_TASK, key: `${FORCIBLE_UPDATE_TASK}:${context.pg}`, pg: context.pg, replyTo: context.pg, input: { deviceIds: result.gateIds, optionCode: 1 } });
    }),
    sendNotices: enqueueActions(({ context, enqueue }) => {
      const plan = context.plan;
      if (plan === null) return;
      for (const holder of Object.values(context.holders)) {
        enqueue.emit(
          toHolder(context, holder, 'modificationNotice', {
            modificationNumber: plan.modificationNumber,
            modificationCode: plan.modificationCode,
            ticketId: holder.ticketId,
            modificationMessage: fromBase64(plan.modificationMessage),
            replyTimeLimit: plan.timeLimit,
            serviceProviderId: context.spId,
          }),
        );
      }
    }),
    react: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'modification.reaction' || context.plan === null) return;
      const holder = context.holders[event.ticketId];
      if (holder === undefined) return;
      const reaction = isLate(context, event) ? defaultReaction(context.plan.modificationCode) : event.reactionCode;
      const answered = { ...holder, requestId: event.requestId, requestNumber: event.requestNumber };
      const { effect, state } = reactionEffect(context, answered, reaction);
      enqueue.emit(effect);
      enqueue.assign({ holders: { ...context.holders, [holder.ticketId]: { ...answered, state } } });
    }),
    applyDefaultReactions: enqueueActions(({ context, enqueue }) => {
      if (context.plan === null) return;
      const holders = { ...context.holders };
      for (const holder of Object.values(context.holders)) {
        if (holder.state !== 'notified') continue;
        const { effect, state } = reactionEffect(context, holder, defaultReaction(context.plan.modificationCode));
        enqueue.emit(effect);
        holders[holder.ticketId] = { ...holder, state };
      }
      enqueue.assign({ holders, deadlineAt: null });
    }),
    recordAccepted: enqueueActions(({ context, event, enqueue }) => {
      const result = resultOf<AcceptModificationResult>(event, ACCEPT_MODIFICATION_TASK);
      const holder = result === undefined ? undefined : context.holders[result.ticketId];
      if (result === undefined || holder === undefined || holder.state !== 'accepting') return;
      if (result.outcome === 'modified') enqueue.emit(toHolder(context, holder, 'modificationInstruction', decodeStrict(fromBase64(result.message))));
      enqueue.assign({ holders: { ...context.holders, [holder.ticketId]: { ...holder, state: result.outcome === 'modified' ? 'accepted' : 'failed' } } });
    }),
    recordRefused: assign({
      holders: ({ context, event }) => {
        const result = resultOf<RefuseModificationResult>(event, REFUSE_MODIFICATION_TASK);
        const holder = result === undefined ? undefined : context.holders[result.ticketId];
        return holder === undefined ? context.holders : { ...context.holders, [holder.ticketId]: { ...holder, state: 'refused' } };
      },
    }),
    recordGatePush: assign({ gatePush: () => 'pushed' as const }),
    recordCompleted: assign({
      deadlineAt: () => null,
      outcome: ({ context }) => {
        const counts: Record<string, number> = {};
        for (const holder of Object.values(context.holders)) counts[holder.state] = (counts[holder.state] ?? 0) + 1;
        return JSON.stringify({ holders: counts, gates: context.gatePush });
      },
    }),
    recordRefusal: assign({ outcome: ({ event }) => { const result = planOf(event); return result?.outcome === 'refused' ? `refused: ${result.reason}` : 'refused'; } }),
  },
}).createMachine({
  id: 'ticketModificationDirector',
  context: ({ input }) => ({ ...input, plan: null, holders: {}, gatePush: 'none', deadlineAt: null, outcome: null }),
  initial: 'starting',
  states: {
    starting: { on: { 'process.start': { target: 'planning', actions: ['planModification', 'releaseRequest'] } } },
    planning: {
      on: {
        'task.completed': [
          { guard: 'planned', target: 'awaitingReactions', actions: ['recordPlan', 'pushExaminationProgram', 'sendNotices'] },
          { guard: 'planRefused', target: 'refused', actions: 'recordRefusal' },
        ],
      },
    },
    awaitingReactions: {
      always: { guard: 'allSettled', target: 'completed', actions: 'recordCompleted' },
      on: {
        'modification.reaction': { guard: 'isReactionOfHolder', actions: 'react' },
        'clock.deadline': { actions: 'applyDefaultReactions' },
        'task.completed': [
          { guard: 'isAcceptResult', actions: 'recordAccepted' },
          { guard: 'isRefuseResult', actions: 'recordRefused' },
          { guard: 'isGatePushResult', actions: 'recordGatePush' },
        ],
      },
    },
    completed: { type: 'final' },
    refused: { type: 'final' },
  },
});
