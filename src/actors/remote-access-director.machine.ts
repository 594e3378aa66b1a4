import { assign, emit, setup } from 'xstate';
import { toBase64 } from '../common/bytes.js';
import type { Effect, ExternalReplyEvent } from './effects.js';
import { processorFor } from './external-processors.js';
import type { RemoteAccessRequested } from './processor-events.js';
import { remoteAccessDataEffect } from './terminal-responses.js';

export interface RemoteAccessDirectorInput {
  readonly pg: string;
  readonly spId: string;
  readonly request: RemoteAccessRequested;
}

interface RemoteAccessDirectorContext extends RemoteAccessDirectorInput {
  readonly result: { found: boolean; contentType: string; data: string } | null;
}

type DirectorEvent = { type: 'process.start'; pg: string } | ExternalReplyEvent;

const isRemoteData = (event: DirectorEvent): event is ExternalReplyEvent => event.type === 'external.reply' && event.messageType === 'remoteDataResponse';

/**
 * The service director of one remote access whose data another party holds. It asks that party through the matching
 * processor, waits for the answer (durably: a restart resumes the wait and the request is redelivered), and answers
 * the terminal once.
 */
export const remoteAccessDirectorMachine = setup({
  types: {
    context: {} as RemoteAccessDirectorContext,
    input: {} as RemoteAccessDirectorInput,
    events: {} as DirectorEvent,
    emitted: {} as Effect,
  },
  guards: {
    holderReachable: ({ context }) => processorFor(context.request.holder) !== undefined,
    isRemoteDataResponse: ({ event }) => isRemoteData(event),
  },
  actions: {
    requestRemoteData: emit(({ context }) => {
      const processor = processorFor(context.request.holder);
      return {
        type: 'effect.actor' as const,
        actorId: processor?.actorId ?? 'processor:none',
        kind: processor?.kind ?? 'none',
        input: { spId: context.spId },
        event: { type: 'exchange.requested', pg: context.pg, party: context.request.holder, messageType: 'remoteDataRequest', fields: { dataAddress: context.request.dataAddress }, replyTo: context.pg },
      };
    }),
    recordRemoteData: assign({
      result: ({ event }) => {
        if (!isRemoteData(event)) return null;
        const fields = event.fields as { found: boolean; contentType: string; data: Uint8Array };
        return { found: fields.found, contentType: fields.contentType, data: toBase64(fields.data) };
      },
    }),
    recordNotFound: assign({ result: () => ({ found: false, contentType: '', data: '' }) }),
    answerTerminal: emit(({ context }) => remoteAccessDataEffect(context.request, context.spId, context.result ?? { found: false, contentType: '', data: '' })),
  },
}).createMachine({
  id: 'remoteAccessDirector',
  context: ({ input }) => ({ ...input, result: null }),
  initial: 'starting',
  states: {
    starting: {
      on: {
        'process.start': [
          { guard: 'holderReachable', target: 'awaitingRemoteData', actions: 'requestRemoteData' },
          { target: 'completed', actions: ['recordNotFound', 'answerTerminal'] },
        ],
      },
    },
    awaitingRemoteData: {
      on: { 'external.reply': { guard: 'isRemoteDataResponse', target: 'completed', actions: ['recordRemoteData', 'answerTerminal'] } },
    },
    completed: { type: 'final' },
  },
});
