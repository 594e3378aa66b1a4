import { assign, emit, setup } from 'xstate';
import { initialTerminalContext, type TerminalContext, type TerminalInput } from './terminal-context.js';
import type { TerminalEffect, TerminalEvent } from './terminal-events.js';
import {
  addRecord,
  applyUpdateContent,
  canAddRecord,
  holdsServiceDataItem,
  partyFields,
  recordServiceDataAccess,
  uploadImage,
  writeUserArea,
} from './terminal-memory.js';
import type { TerminalProfile } from './terminal-profile.js';
import {
  acceptResponse,
  armUpdateDeadline,
  beginForcibleSession,
  beginRequestedSession,
  endSession,
  isNewMessage,
  isPastDeadline,
  isSessionDue,
  rememberMessage,
  requestedKind,
} from './update-session.js';

type EventOf<T extends TerminalEvent['type']> = Extract<TerminalEvent, { type: T }>;

/** Narrows an action's event; a mismatch is a wiring bug in the machine config below. */
function eventOf<T extends TerminalEvent['type']>(event: TerminalEvent, type: T): EventOf<T> {
  if (event.type !== type) throw new TypeError(`expected ${type}, got ${event.type}`);
  return event as EventOf<T>;
}

const sessionPgOf = (event: TerminalEvent): string | undefined =>
  event.type === 'upload.sent' || event.type === 'upload.failed' || event.type === 'update.received' ? event.pg : undefined;

/**
 * The behaviour every terminal kind shares, in two regions: remote access [1471]-[1483], and data updating [1484]-[1518]
 * with forcible data updating [1519]-[1538] and data backup [1539]-[1555]. A mandatory expiration (or a local
 * `terminal.useDisabled`) leaves both for `useDisabled`, where the terminal does nothing any more.
 */
export function createTerminalMachine(profile: TerminalProfile) {
  return setup({
    types: {
      context: {} as TerminalContext,
      input: {} as TerminalInput,
      events: {} as TerminalEvent,
      emitted: {} as TerminalEffect,
    },
    guards: {
      isRemoteAccessAnswer: ({ context, event }) =>
        event.type === 'message.received' && event.messageType === profile.responseType && event.re !== undefined && context.pending[event.re] !== undefined && isNewMessage(context, event.id),
      nothingPending: ({ context }) => Object.keys(context.pending).length === 0,
      isSessionDue: ({ context, event }) => event.type === 'clock.tick' && isSessionDue(context, event.now, profile.backsUp),
      isPastDeadline: ({ context, event }) => event.type === 'clock.tick' && isPastDeadline(context, event.now),
      answersSessionRequest: ({ context, event }) => event.type === 'update.responded' && isNewMessage(context, event.messageId) && context.session?.requestId === event.re,
      isNewInstruction: ({ context, event }) => (event.type === 'update.instructed' || event.type === 'expiration.instructed') && isNewMessage(context, event.messageId),
      isForSession: ({ context, event }) => typeof context.session?.pg === 'string' && sessionPgOf(event) === context.session.pg,
      canAddRecord: ({ context, event }) => event.type === 'record.add' && canAddRecord(context, event.record),
      isWritingEnabled: ({ context }) => !context.status.writingDisabled,
      holdsServiceDataItem: ({ context, event }) => event.type === 'serviceData.access' && holdsServiceDataItem(context, event.key),
    },
    actions: {
      sendRemoteAccessRequest: emit(({ context, event }) => {
        const { requestId, dataAddress } = eventOf(event, 'remoteAccess.start');
        return { type: 'effect.uplink' as const, id: requestId, messageType: profile.requestType, fields: { dataAddress, ...partyFields(context, profile) } };
      }),
      rememberRequest: assign({
        pending: ({ context, event }) => {
          const { requestId, dataAddress } = eventOf(event, 'remoteAccess.start');
          return { ...context.pending, [requestId]: { dataAddress } };
        },
      }),
      storeInTemporaryArea: assign(({ context, event }) => {
        const { re, id, fields } = eventOf(event, 'message.received');
        if (re === undefined) return {};
        const { [re]: answered, ...pending } = context.pending;
        const data = fields as { dataAddress: string; found: boolean; contentType: string; data: string };
        const temporaryArea = answered === undefined ? context.memory.temporaryArea : { ...context.memory.temporaryArea, [data.dataAddress]: { contentType: data.contentType, data: data.data, found: data.found } };
        return { pending, seenMessageIds: rememberMessage(context, id), memory: { ...context.memory, temporaryArea } };
      }),
      // Data updating: the terminal starts a session (update or backup) with a request, or the SP with an instruction.
      beginRequestedSession: assign({
        session: ({ context, event }) => {
          if (event.type === 'clock.tick') return beginRequestedSession(context, event.messageId, event.now, requestedKind(context, profile.backsUp));
          const start = eventOf(event, 'update.start');
          return beginRequestedSession(context, start.messageId, start.now, requestedKind(context, profile.backsUp), start.timeoutMs);
        },
      }),
      sendSessionRequest: emit(({ context }) => {
        const session = context.session;
        if (typeof session?.requestId !== 'string') throw new TypeError('sendSessionRequest needs a requested session');
        const messageType = session.kind === 'backup' ? 'dataBackupRequest' : 'dataUpdateRequest';
        return { type: 'effect.uplink' as const, id: session.requestId, messageType, fields: { ...partyFields(context, profile) } };
      }),
      acceptOptionCode: assign(({ context, event }) => {
        const { messageId, pg, optionCode, at } = eventOf(event, 'update.responded');
        return context.session === null ? {} : { session: acceptResponse(context.session, pg, optionCode, at), seenMessageIds: rememberMessage(context, messageId) };
      }),
      beginForcibleSession: assign(({ context, event }) => {
        const { messageId, pg, optionCode, at } = eventOf(event, 'update.instructed');
        return { session: beginForcibleSession(context, messageId, pg, optionCode, at), seenMessageIds: rememberMessage(context, messageId) };
      }),
      emitUpload: emit(({ context }) => {
        const session = context.session;
        if (typeof session?.pg !== 'string' || session.optionCode === null) throw new TypeError('emitUpload needs a session with a process group and an option code');
        return { type: 'effect.upload' as const, pg: session.pg, optionCode: session.optionCode, party: partyFields(context, profile), image: uploadImage(context) };
      }),
      armUpdateDeadline: assign({ session: ({ context, event }) => (context.session === null ? null : armUpdateDeadline(context.session, eventOf(event, 'upload.sent').at)) }),
      applyUpdate: assign(({ context, event }) => {
        const { content, at } = eventOf(event, 'update.received');
        return { ...applyUpdateContent(context, content), ...endSession(context, 'updated', at) };
      }),
      abandonSession: assign(({ context, event }) => endSession(context, 'abandoned', event.type === 'clock.tick' ? event.now : (context.session?.deadlineAt ?? 0))),
      // [1500], [1517]: use disabled; [1547], [1555]: writing disabled too when it ends a backup.
      applyExpiration: assign(({ context, event }) => {
        const { messageId, at } = eventOf(event, 'expiration.instructed');
        const endsBackup = context.session?.kind === 'backup';
        return {
          ...endSession(context, 'use-disabled', at),
          updateOwed: false,
          status: { useDisabled: true, writingDisabled: context.status.writingDisabled || endsBackup },
          seenMessageIds: rememberMessage(context, messageId),
        };
      }),
      disableUse: assign(({ context, event }) => {
        const { at } = eventOf(event, 'terminal.useDisabled');
        return { ...endSession(context, 'use-disabled', at ?? context.session?.startedAt ?? 0), updateOwed: false, status: { ...context.status, useDisabled: true } };
      }),
      addRecord: assign(({ context, event }) => addRecord(context, eventOf(event, 'record.add').record)),
      writeUserArea: assign(({ context, event }) => {
        const { key, value, at } = eventOf(event, 'userArea.write');
        return writeUserArea(context, key, value, at);
      }),
      recordServiceDataAccess: assign(({ context, event }) => {
        const { key, at } = eventOf(event, 'serviceData.access');
        return recordServiceDataAccess(context, key, at);
      }),
      // DESIGN: writing disabled ends when the battery is above Q again and a data update succeeds: one is owed now.
      recordBattery: assign(({ context, event }) => {
        const { level } = eventOf(event, 'battery.measured');
        const recovered = context.status.writingDisabled && level > context.settings.backupThreshold;
        return { batteryLevel: level, updateOwed: context.updateOwed || recovered };
      }),
      changeSettings: assign({
        settings: ({ context, event }) => {
          const { backupThreshold, sessionTimeoutMs } = eventOf(event, 'settings.changed');
          return { backupThreshold: backupThreshold ?? context.settings.backupThreshold, sessionTimeoutMs: sessionTimeoutMs ?? context.settings.sessionTimeoutMs };
        },
      }),
    },
  }).createMachine({
    id: profile.id,
    context: ({ input }) => initialTerminalContext(input),
    initial: 'operating',
    on: {
      'battery.measured': { actions: 'recordBattery' },
      'settings.changed': { actions: 'changeSettings' },
      'terminal.useDisabled': { target: '.useDisabled', actions: 'disableUse' },
    },
    states: {
      operating: {
        type: 'parallel',
        on: {
          'expiration.instructed': { guard: 'isNewInstruction', target: 'useDisabled', actions: 'applyExpiration' },
          'record.add': { guard: 'canAddRecord', actions: 'addRecord' },
          'userArea.write': { guard: 'isWritingEnabled', actions: 'writeUserArea' },
          'serviceData.access': { guard: 'holdsServiceDataItem', actions: 'recordServiceDataAccess' },
        },
        states: {
          remoteAccess: {
            initial: 'ready',
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
            },
          },
          // One session at a time: an instruction arriving during a session is ignored (the session updates the terminal).
          dataUpdate: {
            initial: 'ready',
            states: {
              ready: {
                on: {
                  'clock.tick': { guard: 'isSessionDue', target: 'requestingUpdate', actions: ['beginRequestedSession', 'sendSessionRequest'] },
                  'update.start': { target: 'requestingUpdate', actions: ['beginRequestedSession', 'sendSessionRequest'] },
                  'update.instructed': { guard: 'isNewInstruction', target: 'uploading', actions: ['beginForcibleSession', 'emitUpload'] },
                },
              },
              requestingUpdate: {
                on: {
                  'update.responded': { guard: 'answersSessionRequest', target: 'uploading', actions: ['acceptOptionCode', 'emitUpload'] },
                  'clock.tick': { guard: 'isPastDeadline', target: 'ready', actions: 'abandonSession' },
                },
              },
              uploading: {
                on: {
                  'upload.sent': { guard: 'isForSession', target: 'awaitingUpdateData', actions: 'armUpdateDeadline' },
                  'upload.failed': { guard: 'isForSession', target: 'ready', actions: 'abandonSession' },
                  // The SP may answer before the runtime reports the last packet handed over.
                  'update.received': { guard: 'isForSession', target: 'ready', actions: 'applyUpdate' },
                  'clock.tick': { guard: 'isPastDeadline', target: 'ready', actions: 'abandonSession' },
                },
              },
              awaitingUpdateData: {
                on: {
                  'update.received': { guard: 'isForSession', target: 'ready', actions: 'applyUpdate' },
                  'clock.tick': { guard: 'isPastDeadline', target: 'ready', actions: 'abandonSession' },
                },
              },
            },
          },
        },
      },
      useDisabled: {},
    },
  });
}
