import { emit, setup } from 'xstate';
import type { Effect, TaskCompletedEvent } from '../../../actors/effects.js';
import { runTask, toUser, unpack, type Requester } from '../purchase/director-kit.js';
import { REGISTER_TICKET_TASK, type RegistrationResult } from './registration.tasks.js';

export interface TicketRegistrationRequest extends Requester {
  readonly ticketId: string;
}

export interface TicketRegistrationDirectorInput {
  readonly pg: string;
  readonly spId: string;
  readonly request: TicketRegistrationRequest;
}

type DirectorEvent = { type: 'process.start'; pg: string } | TaskCompletedEvent;

const result = (event: DirectorEvent): RegistrationResult | undefined => (event.type === 'task.completed' && event.task === REGISTER_TICKET_TASK ? (event.result as RegistrationResult) : undefined);

/**
 * The service director of one ticket registration [1625]: the registration (list check, new key pair, registered
 * ticket certificate) runs as one task; the ticket certificate issuing message 6502 goes to the user.
 */
export const ticketRegistrationDirectorMachine = setup({
  types: { context: {} as TicketRegistrationDirectorInput, input: {} as TicketRegistrationDirectorInput, events: {} as DirectorEvent, emitted: {} as Effect },
  guards: {
    isRegistered: ({ event }) => result(event)?.outcome === 'registered',
    isRefused: ({ event }) => result(event)?.outcome === 'refused',
  },
  actions: {
    register: emit(({ context }) => runTask(context.pg, REGISTER_TICKET_TASK, 'register', { pg: context.pg, ticketId: context.request.ticketId, userId: context.request.userId })),
    issueCertificate: emit(({ context, event }) => {
      const registered = result(event);
      return toUser(context.request, 'ticketCertificateIssuing', registered?.outcome === 'registered' ? unpack(registered.message) : {});
    }),
  },
}).createMachine({
  id: 'ticketRegistrationDirector',
  context: ({ input }) => input,
  initial: 'starting',
  states: {
    starting: { on: { 'process.start': { target: 'registering', actions: 'register' } } },
    registering: {
      on: {
        'task.completed': [
          { guard: 'isRegistered', target: 'registered', actions: 'issueCertificate' },
          { guard: 'isRefused', target: 'refused' },
        ],
      },
    },
    registered: { type: 'final' },
    refused: { type: 'final' },
  },
});
