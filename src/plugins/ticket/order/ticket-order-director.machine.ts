import { assign, emit, setup } from 'xstate';
import type { Effect, ExternalReplyEvent } from '../../../actors/effects.js';
import { fromBase64, toBase64 } from '../../../common/bytes.js';
import { exchangeWith, toUser, type Requester } from '../purchase/director-kit.js';
import { STANDARD_ORDER_RESPONSE_MESSAGES, issuerTicketOrderResponse, type TicketOrderResponseCode } from './order.messages.js';

/** A verified ticket order 5801 with the customer number the route looked up. */
export interface TicketOrderRequest extends Requester {
  readonly issuerId: string;
  readonly customerNumber: string;
  readonly ticketOrderCode: string;
  readonly desiredDate: string;
  readonly desiredCount: number;
  readonly requestNumber: string;
}

export interface TicketOrderDirectorInput {
  readonly pg: string;
  readonly spId: string;
  readonly request: TicketOrderRequest;
}

interface IssuerAnswer {
  readonly responseCode: TicketOrderResponseCode;
  readonly ticketSalesOffer: string | null;
  readonly offerNumber: string | null;
  readonly validUntil: number | null;
}

interface TicketOrderDirectorContext extends TicketOrderDirectorInput {
  readonly answer: IssuerAnswer | null;
}

type DirectorEvent = { type: 'process.start'; pg: string } | ExternalReplyEvent;

/** The issuer's answer to this order: its response, about this request number and this customer. */
function answerOf(context: TicketOrderDirectorContext, event: DirectorEvent): IssuerAnswer | undefined {
  if (event.type !== 'external.reply' || event.messageType !== issuerTicketOrderResponse.type || event.from !== context.request.issuerId) return undefined;
  const parsed = issuerTicketOrderResponse.fields.safeParse(event.fields);
  if (!parsed.success) return undefined;
  const fields = parsed.data;
  if (fields.requestNumber !== context.request.requestNumber || fields.customerNumber !== context.request.customerNumber) return undefined;
  return { responseCode: fields.responseCode, ticketSalesOffer: fields.ticketSalesOffer === null ? null : toBase64(fields.ticketSalesOffer), offerNumber: fields.offerNumber, validUntil: fields.validUntil };
}

/**
 * The service director of one ticket order [1560]-[1570]: the ticket order 5802 to the issuer the service code names
 * (with the user's customer number), then the ticket order response 5804 to the user with the standard response
 * message of the response code.
 */
export const ticketOrderDirectorMachine = setup({
  types: {
    context: {} as TicketOrderDirectorContext,
    input: {} as TicketOrderDirectorInput,
    events: {} as DirectorEvent,
    emitted: {} as Effect,
  },
  guards: {
    isIssuerAnswer: ({ context, event }) => answerOf(context, event) !== undefined,
  },
  actions: {
    orderFromIssuer: emit(({ context }) =>
      exchangeWith(context.pg, context.spId, context.request.issuerId, 'issuerTicketOrder', {
        ticketOrderCode: context.request.ticketOrderCode,
        desiredDate: context.request.desiredDate,
        desiredCount: context.request.desiredCount,
        requestNumber: context.request.requestNumber,
        customerNumber: context.request.customerNumber,
        serviceProviderId: context.spId,
      }),
    ),
    recordAnswer: assign({ answer: ({ context, event }) => answerOf(context, event) ?? null }),
    answerUser: emit(({ context }) => {
      const answer = context.answer;
      const responseCode = answer?.responseCode ?? 'ticket-order-code-error';
      return toUser(context.request, 'ticketOrderResponse', {
        responseCode,
        responseMessage: STANDARD_ORDER_RESPONSE_MESSAGES[responseCode],
        requestNumber: context.request.requestNumber,
        ticketSalesOffer: answer?.ticketSalesOffer == null ? null : fromBase64(answer.ticketSalesOffer),
        offerNumber: answer?.offerNumber ?? null,
        validUntil: answer?.validUntil ?? null,
        serviceProviderId: context.spId,
      });
    }),
  },
}).createMachine({
  id: 'ticketOrderDirector',
  context: ({ input }) => ({ ...input, answer: null }),
  initial: 'starting',
  states: {
    starting: { on: { 'process.start': { target: 'awaitingIssuer', actions: 'orderFromIssuer' } } },
    awaitingIssuer: { on: { 'external.reply': { guard: 'isIssuerAnswer', target: 'answered', actions: ['recordAnswer', 'answerUser'] } } },
    answered: { type: 'final' },
  },
});
