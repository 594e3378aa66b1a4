import { assign, emit, enqueueActions, setup } from 'xstate';
import type { Effect, ExternalReplyEvent, TaskCompletedEvent } from '../../../actors/effects.js';
import { processorFor } from '../../../actors/external-processors.js';
import { COLLECT_USAGE_TASK, type UsageToReport } from './collect-usage.task.js';

/** One scheduler for the whole service providing system: its actor ID is its process group. */
export const USAGE_REPORT_PG = 'txn:ticket-usage-report:schedule';
export const USAGE_REPORT_KIND = 'director:ticket-usage-report';
/** [1664]: "weekly, for example". */
export const DEFAULT_USAGE_REPORT_INTERVAL_MS = 7 * 24 * 3600_000;
/** How long a round waits for the issuers' acknowledgements before it is closed anyway (the outbox keeps resending). */
const ACKNOWLEDGEMENT_WAIT_MS = 3600_000;

export interface UsageReportDirectorInput {
  readonly pg: string;
  readonly spId: string;
  readonly intervalMs: number;
}

interface UsageReportDirectorContext extends UsageReportDirectorInput {
  readonly deadlineAt: number | null;
  readonly round: number;
  readonly awaiting: readonly string[];
  readonly usageSinceCollecting: boolean;
  readonly acknowledged: number;
}

type DirectorEvent =
  | { type: 'process.start'; pg: string; at: number }
  | { type: 'usage.recorded'; at: number }
  | { type: 'usage.reportNow'; at: number }
  | { type: 'usage.intervalChanged'; intervalMs: number; at: number }
  | { type: 'clock.deadline'; at: number }
  | TaskCompletedEvent
  | ExternalReplyEvent;

const reportsOf = (event: DirectorEvent): readonly UsageToReport[] | undefined => (event.type === 'task.completed' && event.task === COLLECT_USAGE_TASK ? (event.result as UsageToReport[]) : undefined);
const acknowledgedReport = (event: DirectorEvent): string | undefined =>
  event.type === 'external.reply' && event.messageType === 'usageReportAcknowledgement' ? (event.fields as { reportNumber?: string }).reportNumber : undefined;
const atOf = (event: DirectorEvent): number => ('at' in event && typeof event.at === 'number' ? event.at : 0);

/**
 * The usage report schedule [1664]-[1666]: when examination responses have been taken in, a round is due one interval
 * later (weekly by default); on demand at once. A round collects the unreported responses by issuer and merchant (a
 * task), sends each issuer its usage report 7100 through the ticket issuer processor, and waits for the
 * acknowledgements. Durable: the deadline is data in its context, so a restart resumes the schedule.
 */
export const usageReportDirectorMachine = setup({
  types: {
    context: {} as UsageReportDirectorContext,
    input: {} as UsageReportDirectorInput,
    events: {} as DirectorEvent,
    emitted: {} as Effect,
  },
  guards: {
    nothingToReport: ({ event }) => (reportsOf(event)?.length ?? -1) === 0,
    reportsCollected: ({ event }) => (reportsOf(event)?.length ?? 0) > 0,
    lastAcknowledgement: ({ context, event }) => {
      const number = acknowledgedReport(event);
      return number !== undefined && context.awaiting.length === 1 && context.awaiting[0] === number;
    },
    isAcknowledgement: ({ context, event }) => {
      const number = acknowledgedReport(event);
      return number !== undefined && context.awaiting.includes(number);
    },
    usageWhileReporting: ({ context }) => context.usageSinceCollecting,
  },
  actions: {
    scheduleNext: assign({ deadlineAt: ({ context, event }) => atOf(event) + context.intervalMs, usageSinceCollecting: () => false }),
    clearDeadline: assign({ deadlineAt: () => null }),
    noteUsage: assign({ usageSinceCollecting: () => true }),
    changeInterval: assign(({ context, event }) => {
      if (event.type !== 'usage.intervalChanged') return {};
      return { intervalMs: event.intervalMs, deadlineAt: context.deadlineAt === null ? null : atOf(event) + event.intervalMs };
    }),
    collectUsage: enqueueActions(({ context, enqueue }) => {
      const round = context.round + 1;
      enqueue.assign({ round, deadlineAt: null, usageSinceCollecting: false });
      enqueue.emit({ type: 'effect.task', task: COLLECT_USAGE_TASK, key: `${COLLECT_USAGE_TASK}:${round}`, pg: context.pg, replyTo: context.pg, input: { round } });
    }),
    sendUsageReports: enqueueActions(({ context, event, enqueue }) => {
      const reports = reportsOf(event) ?? [];
      enqueue.assign({ awaiting: reports.map((report) => report.reportNumber), deadlineAt: atOf(event) + ACKNOWLEDGEMENT_WAIT_MS });
      for (const report of reports) {
        const processor = processorFor(report.issuerId);
        if (processor === undefined) continue;
        enqueue.emit({
          type: 'effect.actor',
          actorId: processor.actorId,
          kind: processor.kind,
          input: { spId: context.spId },
          event: {
            type: 'exchange.requested',
            pg: context.pg,
            party: report.issuerId,
            messageType: 'usageReport',
            fields: { reportNumber: report.reportNumber, ticketIdList: [...report.ticketIds], merchantName: report.merchantName, merchantId: report.merchantId, serviceProviderId: context.spId },
            replyTo: context.pg,
          },
        });
      }
    }),
    recordAcknowledgement: assign({
      awaiting: ({ context, event }) => context.awaiting.filter((number) => number !== acknowledgedReport(event)),
      acknowledged: ({ context }) => context.acknowledged + 1,
    }),
    forgetAwaiting: assign({ awaiting: () => [] }),
  },
}).createMachine({
  id: 'ticketUsageReportDirector',
  context: ({ input }) => ({ ...input, deadlineAt: null, round: 0, awaiting: [], usageSinceCollecting: false, acknowledged: 0 }),
  initial: 'idle',
  on: { 'usage.intervalChanged': { actions: 'changeInterval' } },
  states: {
    idle: {
      on: {
        'usage.recorded': { target: 'scheduled', actions: 'scheduleNext' },
        'usage.reportNow': { target: 'collecting', actions: 'collectUsage' },
      },
    },
    scheduled: {
      on: {
        'clock.deadline': { target: 'collecting', actions: 'collectUsage' },
        'usage.reportNow': { target: 'collecting', actions: 'collectUsage' },
      },
    },
    collecting: {
      on: {
        'usage.recorded': { actions: 'noteUsage' },
        'task.completed': [
          { guard: 'reportsCollected', target: 'reporting', actions: 'sendUsageReports' },
          { guard: 'nothingToReport', target: 'roundDone' },
        ],
      },
    },
    reporting: {
      on: {
        'usage.recorded': { actions: 'noteUsage' },
        'external.reply': [
          { guard: 'lastAcknowledgement', target: 'roundDone', actions: 'recordAcknowledgement' },
          { guard: 'isAcknowledgement', actions: 'recordAcknowledgement' },
        ],
        'clock.deadline': { target: 'roundDone', actions: 'forgetAwaiting' },
      },
    },
    roundDone: {
      always: [{ guard: 'usageWhileReporting', target: 'scheduled', actions: 'scheduleNext' }, { target: 'idle', actions: 'clearDeadline' }],
    },
  },
});
