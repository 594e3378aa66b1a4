import { emit, setup } from 'xstate';
import type { Effect, SendEffect } from './effects.js';
import type { ExchangeRequested } from './processor-events.js';

/**
 * The shape shared by the issuer processors and the transaction-processor processor: each relays exchanges between
 * service directors and one kind of external system; the reply goes straight back to the director that asked.
 */
export function createExternalProcessorMachine(id: string) {
  return setup({
    types: {
      context: {} as { spId: string },
      input: {} as { spId: string },
      events: {} as ExchangeRequested,
      emitted: {} as Effect,
    },
    actions: {
      exchangeWithExternalSystem: emit(({ event }) => ({
        type: 'effect.send' as const,
        channel: 'external' as const,
        via: event.party,
        to: event.party as SendEffect['to'],
        messageType: event.messageType,
        fields: event.fields,
        pg: event.pg,
        replyTo: event.replyTo,
      })),
    },
  }).createMachine({
    id,
    context: ({ input }) => ({ spId: input.spId }),
    initial: 'relaying',
    states: {
      relaying: { on: { 'exchange.requested': { actions: 'exchangeWithExternalSystem' } } },
    },
  });
}
