import { assign, emit, setup } from 'xstate';
import type { Effect, SendEffect, TaskCompletedEvent } from '../../../actors/effects.js';
import { PREPARE_TICKET_SETUP_TASK, setupFieldsOf, type PrepareTicketSetupResult } from './prepare-ticket-setup.task.js';

/** The verified ticket setup request 6601, as the route hands it on. */
export interface TicketSetupRequested {
  readonly requestId: string;
  readonly gateId: string;
  readonly merchantId: string;
  readonly ticketCode: string;
}

export interface TicketSetupDirectorInput {
  readonly pg: string;
  readonly spId: string;
  readonly request: TicketSetupRequested;
}

interface TicketSetupDirectorContext extends TicketSetupDirectorInput {
  readonly outcome: PrepareTicketSetupResult | null;
}

type DirectorEvent = { type: 'process.start'; pg: string } | TaskCompletedEvent;

const resultOf = (event: DirectorEvent): PrepareTicketSetupResult | undefined => (event.type === 'task.completed' && event.task === PREPARE_TICKET_SETUP_TASK ? (event.result as PrepareTicketSetupResult) : undefined);

const toGate = (context: TicketSetupDirectorContext, messageType: string, fields: unknown): SendEffect => ({
  type: 'effect.send',
  channel: 'device',
  via: context.request.gateId,
  to: context.request.gateId as SendEffect['to'],
  messageType,
  fields,
  pg: context.pg,
  re: context.request.requestId,
});

/**
 * The service director of one ticket setup ([1632]): it has the merchant list checked and the ticket setup message
 * made (a task: both need the database), then sends the ticket setup message 6602 to the gate, or the refusal.
 */
export const ticketSetupDirectorMachine = setup({
  types: {
    context: {} as TicketSetupDirectorContext,
    input: {} as TicketSetupDirectorInput,
    events: {} as DirectorEvent,
    emitted: {} as Effect,
  },
  guards: {
    merchantListed: ({ event }) => resultOf(event)?.outcome === 'setup',
    setupRefused: ({ event }) => resultOf(event)?.outcome === 'refused',
  },
  actions: {
    prepareSetup: emit(({ context }) => ({
      type: 'effect.task' as const,
      task: PREPARE_TICKET_SETUP_TASK,
      key: `${PREPARE_TICKET_SETUP_TASK}:${context.pg}`,
      pg: context.pg,
      replyTo: context.pg,
      input: { pg: context.pg, ticketCode: context.request.ticketCode, gateId: context.request.gateId, merchantId: context.request.merchantId },
    })),
    recordOutcome: assign({ outcome: ({ event }) => resultOf(event) ?? null }),
    sendTicketSetup: emit(({ event, context }) => {
      const result = resultOf(event);
      if (result?.outcome !== 'setup') throw new Error('sendTicketSetup without a setup result');
      return toGate(context, 'ticketSetup', setupFieldsOf(result.fields));
    }),
    sendRefusal: emit(({ event, context }) => {
      const result = resultOf(event);
      return toGate(context, 'ticketSetupRefused', { ticketCode: context.request.ticketCode, reason: result?.outcome === 'refused' ? result.reason : 'refused', serviceProviderId: context.spId });
    }),
  },
}).createMachine({
  id: 'ticketSetupDirector',
  context: ({ input }) => ({ ...input, outcome: null }),
  initial: 'starting',
  states: {
    starting: { on: { 'process.start': { target: 'preparing', actions: 'prepareSetup' } } },
    preparing: {
      on: {
        'task.completed': [
          { guard: 'merchantListed', target: 'setUp', actions: ['sendTicketSetup'] },
          { guard: 'setupRefused', target: 'refused', actions: ['recordOutcome', 'sendRefusal'] },
        ],
      },
    },
    setUp: { type: 'final' },
    refused: { type: 'final' },
  },
});
