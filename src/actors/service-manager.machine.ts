import { emit, setup } from 'xstate';
import type { Effect } from './effects.js';
import type { ProcessOpen } from './processor-events.js';

/**
 * The service manager [1560]: opens one service director per process group. The director's actor ID is the process
 * group ID, so opening the same group twice (a resent request) reaches the same director, which ignores it.
 */
export const serviceManagerMachine = setup({
  types: {
    context: {} as { spId: string },
    input: {} as { spId: string },
    events: {} as ProcessOpen,
    emitted: {} as Effect,
  },
  actions: {
    spawnDirector: emit(({ context, event }) => ({
      type: 'effect.actor' as const,
      actorId: event.pg,
      kind: `director:${event.process}`,
      input: { pg: event.pg, spId: context.spId, ...event.input },
      event: { type: 'process.start', pg: event.pg },
    })),
  },
}).createMachine({
  id: 'serviceManager',
  context: ({ input }) => ({ spId: input.spId }),
  initial: 'managing',
  states: {
    managing: { on: { 'process.open': { actions: 'spawnDirector' } } },
  },
});
