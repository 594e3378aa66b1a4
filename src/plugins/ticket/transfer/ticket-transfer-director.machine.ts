import { assign, emit, setup } from 'xstate';
import { fromBase64 } from '../../../common/bytes.js';
import type { Effect, SendEffect, TaskCompletedEvent } from '../../../actors/effects.js';
import { decodeStrict } from '../../../protocol/cbor.js';
import { REFUSED } from './transfer.messages.js';
import { TRANSFER_TICKET_TASK, type TransferTicketInput, type TransferTicketResult } from './transfer-ticket.task.js';

/** A transfer request as the route (7411) or the data update hook (a deferred request, [1685]) hands it on. */
export interface TransferRequested {
  readonly requesterId: string;
  readonly terminalId: string;
  /** The 7411's message ID (the 7412 answers it), or null for a request that came with a data update. */
  readonly requestId: string | null;
  readonly requestedVia: 'request' | 'data-update';
  /** base64 of the decrypted ticket transfer certificate. */
  readonly transferCertificate: string;
}

export interface TicketTransferDirectorInput {
  readonly pg: string;
  readonly spId: string;
  readonly request: TransferRequested;
}

interface TicketTransferDirectorContext extends TicketTransferDirectorInput {
  /** What the task decided; the ticket itself (with its signature private key) is not kept in the snapshot. */
  readonly outcome: { readonly transferred: boolean; readonly transferNumber: string; readonly reason: string | null } | null;
}

type DirectorEvent = { type: 'process.start'; pg: string } | TaskCompletedEvent;

const resultOf = (event: DirectorEvent): TransferTicketResult | undefined => (event.type === 'task.completed' && event.task === TRANSFER_TICKET_TASK ? (event.result as TransferTicketResult) : undefined);

/** 7412 [1692], closed and addressed to user B through B's terminal; acceptance number 0 and no ticket on a refusal. */
function ticketTransferEffect(context: TicketTransferDirectorContext, result: TransferTicketResult | undefined): SendEffect {
  const fields =
    result?.ok === true
      ? { transferNumber: result.transferNumber, transferInformation: fromBase64(result.transferInformation), acceptanceNumber: result.acceptanceNumber, electronicTicket: decodeStrict(fromBase64(result.electronicTicket)), serviceProviderId: context.spId }
      : { transferNumber: REFUSED, transferInformation: fromBase64(result?.transferInformation ?? ''), acceptanceNumber: REFUSED, electronicTicket: null, serviceProviderId: context.spId };
  return {
    type: 'effect.send',
    channel: 'device',
    via: context.request.terminalId,
    to: context.request.requesterId as SendEffect['to'],
    messageType: 'ticketTransfer',
    fields,
    pg: context.pg,
    ...(context.request.requestId === null ? {} : { re: context.request.requestId }),
  };
}

/**
 * The service director of one ticket transfer request ([1688]-[1691]): the transfer task verifies and moves the ticket
 * in one transaction (or refuses and raises an alert), then user B gets the ticket transfer 7412. Durable: a restart
 * while the task runs gets the task's stored result.
 */
export const ticketTransferDirectorMachine = setup({
  types: {
    context: {} as TicketTransferDirectorContext,
    input: {} as TicketTransferDirectorInput,
    events: {} as DirectorEvent,
    emitted: {} as Effect,
  },
  guards: {
    transferred: ({ event }) => resultOf(event)?.ok === true,
    refusedByTask: ({ event }) => resultOf(event)?.ok === false,
  },
  actions: {
    runTransfer: emit(({ context }) => {
      const input: TransferTicketInput = { pg: context.pg, requesterId: context.request.requesterId, terminalId: context.request.terminalId, requestedVia: context.request.requestedVia, transferCertificate: context.request.transferCertificate };
      return { type: 'effect.task' as const, task: TRANSFER_TICKET_TASK, key: `${TRANSFER_TICKET_TASK}:${context.pg}`, input, pg: context.pg, replyTo: context.pg };
    }),
    recordOutcome: assign({
      outcome: ({ event }) => {
        const result = resultOf(event);
        if (result === undefined) return null;
        return result.ok ? { transferred: true, transferNumber: result.transferNumber, reason: null } : { transferred: false, transferNumber: REFUSED, reason: result.reason };
      },
    }),
    sendTicketTransfer: emit(({ context, event }) => ticketTransferEffect(context, resultOf(event))),
  },
}).createMachine({
  id: 'ticketTransferDirector',
  context: ({ input }) => ({ ...input, outcome: null }),
  initial: 'starting',
  states: {
    starting: { on: { 'process.start': { target: 'transferring', actions: 'runTransfer' } } },
    transferring: {
      on: {
        'task.completed': [
          { guard: 'transferred', target: 'transferred', actions: ['recordOutcome', 'sendTicketTransfer'] },
          { guard: 'refusedByTask', target: 'refused', actions: ['recordOutcome', 'sendTicketTransfer'] },
        ],
      },
    },
    transferred: { type: 'final' },
    refused: { type: 'final' },
  },
});
