import { emit, setup } from 'xstate';
import type { Effect } from './effects.js';
import type { DataUpdateRequested } from './data-update-events.js';
import { SERVICE_MANAGER_ID, type RemoteAccessRequested } from './processor-events.js';
import { remoteAccessDataEffect } from './terminal-responses.js';

export interface ProcessorInput {
  readonly spId: string;
}

/**
 * What the user processor and the merchant processor share: each receives verified requests from its terminals,
 * answers remote access to data the service provider holds at once (5601 / 5701), and opens a process group with a
 * service director for the rest (remote data another party holds, data updating sessions).
 */
export function createTerminalProcessorMachine(id: string) {
  return setup({
    types: {
      context: {} as { spId: string },
      input: {} as ProcessorInput,
      events: {} as RemoteAccessRequested | DataUpdateRequested,
      emitted: {} as Effect,
    },
    guards: {
      dataHeldLocally: ({ event }) => event.type === 'remoteAccess.requested' && event.local !== undefined,
    },
    actions: {
      sendRemoteAccessData: emit(({ context, event }) => remoteAccessDataEffect(event as RemoteAccessRequested, context.spId, (event as RemoteAccessRequested).local ?? { found: false, contentType: '', data: '' }, false)),
      openRemoteAccessProcess: emit(({ context, event }) => ({
        type: 'effect.actor' as const,
        actorId: SERVICE_MANAGER_ID,
        kind: 'service-manager',
        input: { spId: context.spId },
        event: { type: 'process.open', pg: event.pg, process: 'remote-access', input: { request: { ...event } } },
      })),
      openDataUpdateProcess: emit(({ context, event }) => ({
        type: 'effect.actor' as const,
        actorId: SERVICE_MANAGER_ID,
        kind: 'service-manager',
        input: { spId: context.spId },
        event: { type: 'process.open', pg: event.pg, process: 'data-update', input: { ...(event as DataUpdateRequested), type: undefined } },
      })),
    },
  }).createMachine({
    id,
    context: ({ input }) => ({ spId: input.spId }),
    initial: 'serving',
    states: {
      serving: {
        on: {
          'remoteAccess.requested': [{ guard: 'dataHeldLocally', actions: 'sendRemoteAccessData' }, { actions: 'openRemoteAccessProcess' }],
          'dataUpdate.requested': { actions: 'openDataUpdateProcess' },
        },
      },
    },
  });
}
