import { assign, emit, enqueueActions, setup } from 'xstate';
import { fromBase64 } from '../common/bytes.js';
import type { DataUpdateRequested, DataUpdateVerdict, UploadPacketReceived } from './data-update-events.js';
import type { Effect, SendEffect, TaskCompletedEvent } from './effects.js';

export const COMPARE_UPLOAD_TASK = 'data-update.compare';

/** The request the processor handed on, plus the service provider's ID. */
export interface DataUpdateDirectorInput extends Omit<DataUpdateRequested, 'type'> {
  readonly spId: string;
}

interface DataUpdateDirectorContext extends DataUpdateDirectorInput {
  /** Upload packets received so far, base64, by packet number. */
  readonly packets: Record<string, string>;
  readonly packetCount: number | null;
  readonly deadlineAt: number | null;
  readonly outcome: string | null;
}

type DirectorEvent = { type: 'process.start'; pg: string; at: number } | UploadPacketReceived | TaskCompletedEvent | { type: 'clock.deadline'; at: number };

const toTerminal = (context: DataUpdateDirectorContext, messageType: string, fields: Record<string, unknown>, re?: string): SendEffect => ({
  type: 'effect.send',
  channel: 'device',
  via: context.terminalId,
  to: context.principal as SendEffect['to'],
  messageType,
  fields,
  pg: context.pg,
  ...(re === undefined ? {} : { re }),
});

const verdictOf = (event: DirectorEvent): DataUpdateVerdict | undefined => (event.type === 'task.completed' && event.task === COMPARE_UPLOAD_TASK ? (event.result as DataUpdateVerdict) : undefined);

/**
 * The service director of one data updating, forcible data updating or data backup session ([1484]-[1555]): it tells
 * the terminal what range to upload, collects the numbered upload packets (any order, each once), has the upload
 * compared with the SP's mirror, and answers with update data packets or a mandatory expiration instruction.
 */
export const dataUpdateDirectorMachine = setup({
  types: {
    context: {} as DataUpdateDirectorContext,
    input: {} as DataUpdateDirectorInput,
    events: {} as DirectorEvent,
    emitted: {} as Effect,
  },
  guards: {
    isForcible: ({ context }) => context.mode === 'forcible',
    isPacketOfThisTerminal: ({ context, event }) =>
      event.type === 'upload.packet' &&
      event.terminalId === context.terminalId &&
      event.packetNumber <= event.packetCount &&
      (context.packetCount === null || context.packetCount === event.packetCount) &&
      context.packets[String(event.packetNumber)] === undefined,
    uploadComplete: ({ context }) => context.packetCount !== null && Object.keys(context.packets).length === context.packetCount,
    verdictIsUpdate: ({ event }) => verdictOf(event)?.verdict === 'update',
    verdictIsExpire: ({ event }) => verdictOf(event)?.verdict === 'expire',
  },
  actions: {
    setUploadDeadline: assign({ deadlineAt: ({ context, event }) => ('at' in event ? event.at : 0) + context.uploadTimeoutMs }),
    sendRequestResponse: emit(({ context }) => toTerminal(context, 'dataUpdateRequestResponse', { updateOptionCode: context.optionCode, serviceProviderId: context.spId }, context.requestId)),
    sendUpdateInstruction: emit(({ context }) => toTerminal(context, 'dataUpdateInstruction', { updateOptionCode: context.optionCode, serviceProviderId: context.spId })),
    collectPacket: assign(({ context, event }) =>
      event.type === 'upload.packet' ? { packets: { ...context.packets, [String(event.packetNumber)]: event.data }, packetCount: event.packetCount } : {},
    ),
    compareWithMirror: emit(({ context }) => ({
      type: 'effect.task' as const,
      task: COMPARE_UPLOAD_TASK,
      key: `${COMPARE_UPLOAD_TASK}:${context.pg}`,
      pg: context.pg,
      replyTo: context.pg,
      input: {
        pg: context.pg,
        mode: context.mode,
        terminalId: context.terminalId,
        optionCode: context.optionCode,
        packets: Array.from({ length: context.packetCount ?? 0 }, (_, index) => context.packets[String(index + 1)] ?? ''),
      },
    })),
    clearDeadline: assign({ deadlineAt: () => null }),
    sendUpdateData: enqueueActions(({ context, event, enqueue }) => {
      const verdict = verdictOf(event);
      if (verdict?.verdict !== 'update') return;
      verdict.packets.forEach((packet, index) =>
        enqueue.emit(toTerminal(context, 'updateData', { packetNumber: index + 1, packetCount: verdict.packets.length, compressedData: fromBase64(packet), serviceProviderId: context.spId })),
      );
    }),
    sendMandatoryExpiration: emit(({ context }) => toTerminal(context, 'mandatoryExpirationInstruction', { serviceProviderId: context.spId })),
    recordOutcome: assign({ outcome: ({ event }) => { const verdict = verdictOf(event); return verdict === undefined ? 'abandoned' : verdict.verdict === 'update' ? 'updated' : `expired: ${verdict.reason}`; } }),
    releasePackets: assign({ packets: () => ({}) }),
  },
}).createMachine({
  id: 'dataUpdateDirector',
  context: ({ input }) => ({ ...input, packets: {}, packetCount: null, deadlineAt: null, outcome: null }),
  initial: 'starting',
  states: {
    starting: {
      on: {
        'process.start': [
          { guard: 'isForcible', target: 'awaitingUpload', actions: ['setUploadDeadline', 'sendUpdateInstruction'] },
          { target: 'awaitingUpload', actions: ['setUploadDeadline', 'sendRequestResponse'] },
        ],
      },
    },
    awaitingUpload: {
      on: {
        'upload.packet': { guard: 'isPacketOfThisTerminal', target: 'collecting', actions: 'collectPacket' },
        'clock.deadline': { target: 'abandoned', actions: ['recordOutcome', 'clearDeadline', 'releasePackets'] },
      },
    },
    collecting: {
      always: [{ guard: 'uploadComplete', target: 'comparing', actions: ['clearDeadline', 'compareWithMirror'] }, { target: 'awaitingUpload' }],
    },
    comparing: {
      on: {
        'task.completed': [
          { guard: 'verdictIsUpdate', target: 'updated', actions: ['sendUpdateData', 'recordOutcome', 'releasePackets'] },
          { guard: 'verdictIsExpire', target: 'expired', actions: ['sendMandatoryExpiration', 'recordOutcome', 'releasePackets'] },
        ],
      },
    },
    updated: { type: 'final' },
    expired: { type: 'final' },
    abandoned: { type: 'final' },
  },
});
