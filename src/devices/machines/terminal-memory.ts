import type { DeviceRecord, JsonValue, UpdateContent } from '../../core/data-update/terminal-image.js';
import type { TerminalContext } from './terminal-context.js';
import type { PartyFields, UploadImage } from './terminal-events.js';
import type { TerminalProfile } from './terminal-profile.js';

/** Bound on records waiting for the next data update, so a stuck SP cannot make the terminal grow without end. */
export const MAX_RECORDS = 1024;

export function partyFields(context: TerminalContext, profile: TerminalProfile): PartyFields {
  return profile.party === 'user' ? { userId: context.principal } : { terminalId: context.deviceId, merchantId: context.merchantId };
}

export function uploadImage(context: TerminalContext): UploadImage {
  const { basicProgram, serviceData, userArea, records } = context.memory;
  return { basicProgram, serviceData, userArea, records, changedAccessTimes: context.changedAccessTimes, batteryLevel: context.batteryLevel };
}

export const batteryAboveThreshold = (context: TerminalContext): boolean => context.batteryLevel > context.settings.backupThreshold;

/**
 * Applies the SP's update data ([1496], [1513]): the areas it sends replace the terminal's (a null user area leaves it),
 * accepted records leave, the register moves. A backup session ends "writing disabled" ([1545], [1553]); DESIGN: it
 * ends when the battery is above Q again and a data update succeeds.
 */
export function applyUpdateContent(context: TerminalContext, content: UpdateContent): Partial<TerminalContext> {
  const accepted = new Set(content.acceptedRecords);
  const backup = context.session?.kind === 'backup';
  return {
    memory: {
      ...context.memory,
      basicProgram: content.basicProgram,
      serviceData: content.serviceData,
      userArea: content.userArea ?? context.memory.userArea,
      records: context.memory.records.filter((record) => !accepted.has(record.id)),
    },
    updateTimeRegister: content.updateTimeRegister,
    changedAccessTimes: {},
    status: { ...context.status, writingDisabled: backup || (context.status.writingDisabled && !batteryAboveThreshold(context)) },
  };
}

export const holdsServiceDataItem = (context: TerminalContext, key: string): boolean => Object.hasOwn(context.memory.serviceData, key);

export function recordServiceDataAccess(context: TerminalContext, key: string, at: number): Partial<TerminalContext> {
  const item = context.memory.serviceData[key];
  if (item === undefined) return {};
  return {
    memory: { ...context.memory, serviceData: { ...context.memory.serviceData, [key]: { ...item, accessedAt: at } } },
    changedAccessTimes: { ...context.changedAccessTimes, [key]: at },
  };
}

export const canAddRecord = (context: TerminalContext, record: DeviceRecord): boolean =>
  !context.status.writingDisabled && context.memory.records.length < MAX_RECORDS && !context.memory.records.some((held) => held.id === record.id);

export const addRecord = (context: TerminalContext, record: DeviceRecord): Partial<TerminalContext> => ({ memory: { ...context.memory, records: [...context.memory.records, record] } });

export const writeUserArea = (context: TerminalContext, key: string, value: JsonValue, at: number): Partial<TerminalContext> => ({
  memory: { ...context.memory, userArea: { ...context.memory.userArea, [key]: { value, accessedAt: at } } },
});
