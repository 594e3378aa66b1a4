import { assign, emit, setup } from 'xstate';
import type { TerminalContext, TerminalEvent, TerminalInput, UplinkEffect } from './terminal-events.js';

const SEEN_LIMIT = 64;

/**
 * The behaviour every terminal kind shares: remote access [1471]-[1483], the memory areas and statuses.
 * `requestType` is the kind's remote access request (5600 for the mobile user terminal, 5700 for merchant devices).
 */
export function createTerminalMachine(id: string, requestType: 'remoteAccessRequest' | 'merchantRemoteAccessRequest', responseType: 'remoteAccessData' | 'merchantRemoteAccessData') {
  return setup({
    types: {
      context: {} as TerminalContext,
      input: {} as TerminalInput,
      events: {} as TerminalEvent,
      emitted: {} as UplinkEffect,
    },
    guards: {
      isRemoteAccessAnswer: ({ context, event }) =>
        event.type === 'message.received' && event.messageType === responseType && event.re !== undefined && context.pending[event.re] !== undefined && !context.seenMessageIds.includes(event.id),
      nothingPending: ({ context }) => Object.keys(context.pending).length === 0,
    },
    actions: {
      sendRemoteAccessRequest: emit(({ context, event }) => {
        if (event.type !== 'remoteAccess.start') throw new TypeError('sendRemoteAccessRequest needs remoteAccess.start');
        const fields =
          requestType === 'remoteAccessRequest'
            ? { dataAddress: event.dataAddress, userId: context.principal }
            : { dataAddress: event.dataAddress, terminalId: context.deviceId, merchantId: context.merchantId };
        return { type: 'effect.uplink' as const, id: event.requestId, messageType: requestType, fields };
      }),
      rememberRequest: assign({
        pending: ({ context, event }) => (event.type === 'remoteAccess.start' ? { ...context.pending, [event.requestId]: { dataAddress: event.dataAddress } } : context.pending),
      }),
      storeInTemporaryArea: assign(({ context, event }) => {
        if (event.type !== 'message.received' || event.re === undefined) return {};
        const { [event.re]: answered, ...pending } = context.pending;
        const fields = event.fields as { dataAddress: string; found: boolean; contentType: string; data: string };
        return {
          pending,
          seenMessageIds: [...context.seenMessageIds, event.id].slice(-SEEN_LIMIT),
          memory: {
            ...context.memory,
            temporaryArea: answered === undefined ? context.memory.temporaryArea : { ...context.memory.temporaryArea, [fields.dataAddress]: { contentType: fields.contentType, data: fields.data, found: fields.found } },
          },
        };
      }),
      recordBattery: assign({ batteryLevel: ({ context, event }) => (event.type === 'battery.measured' ? event.level : context.batteryLevel) }),
      disableUse: assign({ status: ({ context }) => ({ ...context.status, useDisabled: true }) }),
    },
  }).createMachine({
    id,
    context: ({ input }) => ({
      deviceId: input.deviceId,
      principal: input.principal,
      merchantId: input.merchantId ?? null,
      memory: { basicProgram: { version: input.programVersion ?? '1.0.0' }, serviceData: {}, userArea: {}, temporaryArea: {} },
      status: { useDisabled: false, writingDisabled: false },
      updateTimeRegister: null,
      batteryLevel: 100,
      lists: {},
      pending: {},
      seenMessageIds: [],
    }),
    initial: 'ready',
    on: {
      'battery.measured': { actions: 'recordBattery' },
      'terminal.useDisabled': { target: '.useDisabled', actions: 'disableUse' },
    },
    states: {
      ready: {
        on: { 'remoteAccess.start': { target: 'awaitingRemoteData', actions: ['rememberRequest', 'sendRemoteAccessRequest'] } },
      },
      awaitingRemoteData: {
        on: {
          'remoteAccess.start': { actions: ['rememberRequest', 'sendRemoteAccessRequest'] },
          'message.received': { guard: 'isRemoteAccessAnswer', actions: 'storeInTemporaryArea', target: 'settling' },
        },
      },
      settling: {
        always: [{ guard: 'nothingPending', target: 'ready' }, { target: 'awaitingRemoteData' }],
      },
      useDisabled: {},
    },
  });
}
