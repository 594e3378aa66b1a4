import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createActor, type AnyStateMachine, type Snapshot, type StateValue } from 'xstate';
import { initialTerminalContext, type TerminalContext, type TerminalInput } from '../machines/terminal-context.js';

/** A terminal machine's persisted snapshot as the state file holds it (XState's own fields besides these are kept). */
export interface PersistedTerminalSnapshot {
  readonly status: string;
  readonly value: StateValue;
  readonly context: TerminalContext;
  readonly [field: string]: unknown;
}

/** What `tamper` hands its mutator: the same plain data, writable. */
export type Mutable<T> = T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

/** Snapshots written before the data updating process (flat states, no records or sessions) read as current ones. */
const LEGACY_STATES: Readonly<Record<string, StateValue>> = {
  ready: { operating: { remoteAccess: 'ready', dataUpdate: 'ready' } },
  awaitingRemoteData: { operating: { remoteAccess: 'awaitingRemoteData', dataUpdate: 'ready' } },
  settling: { operating: { remoteAccess: 'awaitingRemoteData', dataUpdate: 'ready' } },
};

export function upgradeSnapshot(raw: PersistedTerminalSnapshot): PersistedTerminalSnapshot {
  const defaults = initialTerminalContext({ deviceId: raw.context.deviceId, principal: raw.context.principal });
  const value = typeof raw.value === 'string' ? (LEGACY_STATES[raw.value] ?? raw.value) : raw.value;
  return { ...raw, value, context: { ...defaults, ...raw.context, memory: { ...defaults.memory, ...raw.context.memory } } };
}

export function readStateFile(path: string): PersistedTerminalSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  return upgradeSnapshot(JSON.parse(readFileSync(path, 'utf8')) as PersistedTerminalSnapshot);
}

/** Written whole to a temporary file and renamed, so a crash leaves the old or the new memory, never half of it. */
export function writeFileAtomically(path: string, content: string | Uint8Array): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

export function writeStateFile(path: string, snapshot: Snapshot<unknown> | PersistedTerminalSnapshot): void {
  writeFileAtomically(path, JSON.stringify(snapshot));
}

/** The snapshot of a terminal that has never run: what the state file would hold after its first start. */
export function initialSnapshot(machine: AnyStateMachine, input: TerminalInput): PersistedTerminalSnapshot {
  return createActor(machine, { input }).getPersistedSnapshot() as unknown as PersistedTerminalSnapshot;
}
