import { emit, setup } from 'xstate';
import type { Effect } from './effects.js';
import type { DataUpdateRequested } from './data-update-events.js';
import { SERVICE_MANAGER_ID, type RemoteAccessRequested } from './processor-events.js';
import { remoteAccessDataEffect } from './terminal-responses.js';

export interface ProcessorInput {
  readonly spId: string;
}

/**
 * The user processor [1475]: receives verified requests from mobile user terminals. Remote access to data the service
 * provider holds is answered at once (5601); data held by another party opens a process group with a service director.
 */
export const userProcessorMachine = setup({
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
    sendRemoteAccessData: emit(({ context, event }) => remoteAccessDataEffect(event as RemoteAccessRequested, context.spId, (event as RemoteAccessRequested).local ?? { found: false, contentType: '', data: '' })),
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
  id: 'userProcessor',
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
