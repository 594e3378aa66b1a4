import { assign, emit, setup } from 'xstate';
import { fromBase64 } from '../../../common/bytes.js';
import type { Effect, ExternalReplyEvent, SendEffect, TaskCompletedEvent } from '../../../actors/effects.js';
import { processorFor } from '../../../actors/external-processors.js';
import { decodeStrict } from '../../../protocol/cbor.js';
import { GENERATE_INSTALLATION_TASK, RESOLVE_INSTALLATION_TASK, type GenerateInstallationResult, type ResolveInstallationResult } from './installation.tasks.js';
import { INSTALLATION_RESPONSE_MESSAGES, type InstallationRefusal } from './installation.messages.js';

/** The verified installation request 7701, as the route hands it on. */
export interface InstallationRequested {
  readonly requestId: string;
  readonly userId: string;
  readonly terminalId: string;
  readonly installationCardNumber: string;
  readonly installationNumber: string;
  readonly requestNumber: string;
}

export interface InstallationDirectorInput {
  readonly pg: string;
  readonly spId: string;
  readonly request: InstallationRequested;
}

interface InstallationDirectorContext extends InstallationDirectorInput {
  readonly issuerId: string | null;
  readonly customerNumber: string | null;
  readonly outcome: string | null;
}

type DirectorEvent = { type: 'process.start'; pg: string } | TaskCompletedEvent | ExternalReplyEvent;

const resolved = (event: DirectorEvent): ResolveInstallationResult | undefined => (event.type === 'task.completed' && event.task === RESOLVE_INSTALLATION_TASK ? (event.result as ResolveInstallationResult) : undefined);
const generated = (event: DirectorEvent): GenerateInstallationResult | undefined => (event.type === 'task.completed' && event.task === GENERATE_INSTALLATION_TASK ? (event.result as GenerateInstallationResult) : undefined);
const replyOf = (event: DirectorEvent, messageType: string): ExternalReplyEvent | undefined => (event.type === 'external.reply' && event.messageType === messageType ? event : undefined);

/** The refusal code a step ended with, for the user's response. */
function refusalOf(event: DirectorEvent): InstallationRefusal {
  const result = resolved(event) ?? generated(event);
  if (result?.outcome === 'refused') return result.responseCode;
  const refusal = replyOf(event, 'ticketInstallationRefusal')?.fields as { responseCode?: InstallationRefusal } | undefined;
  return refusal?.responseCode ?? 'issuer-unavailable';
}

const toUser = (context: InstallationDirectorContext, messageType: string, fields: unknown): SendEffect => ({
  type: 'effect.send',
  channel: 'device',
  via: context.request.terminalId,
  to: context.request.userId as SendEffect['to'],
  messageType,
  fields,
  pg: context.pg,
  re: context.request.requestId,
});

/**
 * The service director of one ticket installation ([1699]-[1707]): it finds the card's issuer on the installation
 * card list, sends the ticket installation request 7702 to that issuer, and on its installation commission 7703 has
 * the electronic ticket generated (as in the purchase) and sends the installation message 7704 to the user. A card
 * no issuer registered, or one the issuer refuses (used, unknown, wrong number), ends with the installation response.
 */
export const installationDirectorMachine = setup({
  types: {
    context: {} as InstallationDirectorContext,
    input: {} as InstallationDirectorInput,
    events: {} as DirectorEvent,
    emitted: {} as Effect,
  },
  guards: {
    issuerFound: ({ event }) => resolved(event)?.outcome === 'found',
    issuerNotFound: ({ event }) => resolved(event)?.outcome === 'refused',
    isCommission: ({ context, event }) => replyOf(event, 'electronicTicketInstallationCommission')?.from === context.issuerId,
    isIssuerRefusal: ({ context, event }) => replyOf(event, 'ticketInstallationRefusal')?.from === context.issuerId,
    ticketGenerated: ({ event }) => generated(event)?.outcome === 'installed',
    generationRefused: ({ event }) => generated(event)?.outcome === 'refused',
  },
  actions: {
    resolveIssuer: emit(({ context }) => ({
      type: 'effect.task' as const,
      task: RESOLVE_INSTALLATION_TASK,
      key: `${RESOLVE_INSTALLATION_TASK}:${context.pg}`,
      pg: context.pg,
      replyTo: context.pg,
      input: { pg: context.pg, userId: context.request.userId, installationCardNumber: context.request.installationCardNumber },
    })),
    recordIssuer: assign(({ event }) => {
      const result = resolved(event);
      return result?.outcome === 'found' ? { issuerId: result.issuerId, customerNumber: result.customerNumber } : {};
    }),
    requestInstallation: emit(({ context }) => {
      const issuerId = context.issuerId ?? '';
      const processor = processorFor(issuerId);
      return {
        type: 'effect.actor' as const,
        actorId: processor?.actorId ?? 'processor:none',
        kind: processor?.kind ?? 'none',
        input: { spId: context.spId },
        event: {
          type: 'exchange.requested',
          pg: context.pg,
          party: issuerId,
          messageType: 'ticketInstallationRequest',
          fields: {
            installationCardNumber: context.request.installationCardNumber,
            installationNumber: context.request.installationNumber,
            requestNumber: context.request.requestNumber,
            customerNumber: context.customerNumber ?? '',
            serviceProviderId: context.spId,
          },
          replyTo: context.pg,
        },
      };
    }),
    generateTicket: emit(({ context, event }) => ({
      type: 'effect.task' as const,
      task: GENERATE_INSTALLATION_TASK,
      key: `${GENERATE_INSTALLATION_TASK}:${context.pg}`,
      pg: context.pg,
      replyTo: context.pg,
      input: {
        pg: context.pg,
        userId: context.request.userId,
        requestNumber: context.request.requestNumber,
        issuerId: context.issuerId,
        installationCardNumber: context.request.installationCardNumber,
        commission: replyOf(event, 'electronicTicketInstallationCommission')?.fields,
      },
    })),
    sendInstallationMessage: emit(({ context, event }) => {
      const result = generated(event);
      if (result?.outcome !== 'installed') throw new Error('sendInstallationMessage without an installed ticket');
      return toUser(context, 'electronicTicketInstallationMessage', decodeStrict(fromBase64(result.message)));
    }),
    sendInstallationResponse: emit(({ context, event }) => {
      const code = refusalOf(event);
      return toUser(context, 'electronicTicketInstallationResponse', { responseCode: code, responseMessage: INSTALLATION_RESPONSE_MESSAGES[code], requestNumber: context.request.requestNumber, serviceProviderId: context.spId });
    }),
    recordInstalled: assign({ outcome: ({ event }) => { const result = generated(event); return result?.outcome === 'installed' ? `installed ${result.ticketId}` : null; } }),
    recordRefusal: assign({ outcome: ({ event }) => `refused: ${refusalOf(event)}` }),
  },
}).createMachine({
  id: 'installationDirector',
  context: ({ input }) => ({ ...input, issuerId: null, customerNumber: null, outcome: null }),
  initial: 'starting',
  states: {
    starting: { on: { 'process.start': { target: 'resolvingIssuer', actions: 'resolveIssuer' } } },
    resolvingIssuer: {
      on: {
        'task.completed': [
          { guard: 'issuerFound', target: 'awaitingCommission', actions: ['recordIssuer', 'requestInstallation'] },
          { guard: 'issuerNotFound', target: 'refused', actions: ['recordRefusal', 'sendInstallationResponse'] },
        ],
      },
    },
    awaitingCommission: {
      on: {
        'external.reply': [
          { guard: 'isCommission', target: 'generating', actions: 'generateTicket' },
          { guard: 'isIssuerRefusal', target: 'refused', actions: ['recordRefusal', 'sendInstallationResponse'] },
        ],
      },
    },
    generating: {
      on: {
        'task.completed': [
          { guard: 'ticketGenerated', target: 'installed', actions: ['recordInstalled', 'sendInstallationMessage'] },
          { guard: 'generationRefused', target: 'refused', actions: ['recordRefusal', 'sendInstallationResponse'] },
        ],
      },
    },
    installed: { type: 'final' },
    refused: { type: 'final' },
  },
});
