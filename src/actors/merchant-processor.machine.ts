import { emit, setup } from 'xstate';
import type { Effect } from './effects.js';
import type { DataUpdateRequested } from './data-update-events.js';
import { SERVICE_MANAGER_ID, type RemoteAccessRequested } from './processor-events.js';
import type { ProcessorInput } from './user-processor.machine.js';
import { remoteAccessDataEffect } from './terminal-responses.js';

/**
 * The merchant processor [1481]: receives verified requests from gate terminals, merchant terminals, accounting
 * machines and telephone-card accounting machines, and answers them (5701) or opens a process group.
 */
export const merchantProcessorMachine = setup({
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
  id: 'merchantProcessor',
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
