import type { EndedSession, UpdateSession } from '../machines/terminal-context.js';
import { terminalStateName } from '../machines/terminal-state.js';
import type { PersistedTerminalSnapshot } from '../runtime/terminal-state-file.js';

export interface TerminalStatusReport {
  readonly deviceId: string;
  readonly principal: string;
  readonly state: string;
  readonly status: { readonly useDisabled: boolean; readonly writingDisabled: boolean };
  readonly batteryLevel: number;
  readonly updateTimeRegister: string | null;
  readonly basicProgram: { readonly version: string };
  readonly serviceData: { readonly count: number; readonly keys: readonly string[] };
  readonly userArea: { readonly count: number; readonly keys: readonly string[] };
  readonly records: { readonly count: number; readonly ids: readonly string[] };
  readonly changedAccessTimes: number;
  readonly session: UpdateSession | null;
  readonly lastSession: EndedSession | null;
}

/** What `status` prints: statuses, a summary of each memory area and the state, read from the state file. */
export function terminalStatus(snapshot: PersistedTerminalSnapshot): TerminalStatusReport {
  const { context } = snapshot;
  const area = (items: Record<string, unknown>) => ({ count: Object.keys(items).length, keys: Object.keys(items).sort() });
  return {
    deviceId: context.deviceId,
    principal: context.principal,
    state: terminalStateName(snapshot.value),
    status: context.status,
    batteryLevel: context.batteryLevel,
    updateTimeRegister: context.updateTimeRegister === null ? null : new Date(context.updateTimeRegister).toISOString(),
    basicProgram: context.memory.basicProgram,
    serviceData: area(context.memory.serviceData),
    userArea: area(context.memory.userArea),
    records: { count: context.memory.records.length, ids: context.memory.records.map((record) => record.id) },
    changedAccessTimes: Object.keys(context.changedAccessTimes).length,
    session: context.session,
    lastSession: context.lastSession,
  };
}
