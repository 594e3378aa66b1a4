import type { DataItem, DeviceRecord, UpdateOptionCode } from '../../core/data-update/terminal-image.js';

export interface TemporaryEntry {
  readonly contentType: string;
  readonly data: string;
  readonly found: boolean;
}

/** Q of [1541], [1549]: at or below this battery level (percent) a backing-up terminal backs its memory up. */
export const DEFAULT_BACKUP_THRESHOLD = 20;
/** How long a data update session may wait for the service providing system at each step before it is abandoned. */
export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;

/** The terminal's memory areas ([1484]: RAM, and the hard disk of merchant devices). Plain JSON only. */
export interface TerminalMemory {
  readonly basicProgram: { readonly version: string };
  /** Written only by update data from the service providing system. */
  readonly serviceData: Record<string, DataItem>;
  /** The user's (or merchant's) own area. */
  readonly userArea: Record<string, DataItem>;
  /** Records the terminal made (an examination response...) that the SP has not yet accepted. */
  readonly records: readonly DeviceRecord[];
  /** Remote access data stored for use [1477], [1483], by data address. */
  readonly temporaryArea: Record<string, TemporaryEntry>;
}

/**
 * 'update': the clock reached the update time register ([1486], [1503]) or a data update was asked for;
 * 'backup': the battery is at or below Q ([1541], [1549]); 'forcible': the SP instructed it ([1521], [1531]).
 */
export type SessionKind = 'update' | 'backup' | 'forcible';
export type SessionOutcome = 'updated' | 'use-disabled' | 'abandoned';

/** The data update session in progress. Its deadline is data, fired by a `clock.tick` (XState `after` is not restored). */
export interface UpdateSession {
  /** The request's message ID for sessions the terminal starts; the instruction's for forcible ones. */
  readonly id: string;
  readonly kind: SessionKind;
  /** The data update / data backup request's message ID: the SP's response carries it as `re`. */
  readonly requestId: string | null;
  /** The SP's process group, known from its response or instruction; every later message of the session carries it. */
  readonly pg: string | null;
  readonly optionCode: UpdateOptionCode | null;
  readonly timeoutMs: number;
  readonly startedAt: number;
  readonly deadlineAt: number;
}

export interface EndedSession {
  readonly id: string;
  readonly kind: SessionKind;
  readonly pg: string | null;
  readonly outcome: SessionOutcome;
  readonly endedAt: number;
}

/** The memory areas, statuses and lists a terminal keeps (DESIGN "State and money"). */
export interface TerminalContext {
  readonly deviceId: string;
  /** Who signs and receives this terminal's messages: the user (mobile user terminal) or the device itself. */
  readonly principal: string;
  readonly merchantId: string | null;
  readonly memory: TerminalMemory;
  /** Terminal status 1802 / 3302: "use disabled" [1500], "writing disabled" [1545]. */
  readonly status: { readonly useDisabled: boolean; readonly writingDisabled: boolean };
  /** When the clock reaches it, the terminal starts a data update ([1486], [1503]); set by each update. */
  readonly updateTimeRegister: number | null;
  readonly batteryLevel: number;
  readonly settings: { readonly backupThreshold: number; readonly sessionTimeoutMs: number };
  /** Access times of service data items changed since the last successful data update, by key. */
  readonly changedAccessTimes: Record<string, number>;
  readonly session: UpdateSession | null;
  readonly lastSession: EndedSession | null;
  /** A data update is owed before the register says so: a session was abandoned, or the battery recovered after a backup. */
  readonly updateOwed: boolean;
  readonly lists: Record<string, readonly unknown[]>;
  /** Remote access requests sent and not yet answered, by request ID. */
  readonly pending: Record<string, { readonly dataAddress: string }>;
  /** IDs of the latest downlinks, so a redelivered message is applied once. */
  readonly seenMessageIds: readonly string[];
}

export interface TerminalInput {
  readonly deviceId: string;
  readonly principal: string;
  readonly merchantId?: string | null;
  readonly programVersion?: string;
  readonly backupThreshold?: number;
  readonly sessionTimeoutMs?: number;
}

export function initialTerminalContext(input: TerminalInput): TerminalContext {
  return {
    deviceId: input.deviceId,
    principal: input.principal,
    merchantId: input.merchantId ?? null,
    memory: { basicProgram: { version: input.programVersion ?? '1.0.0' }, serviceData: {}, userArea: {}, records: [], temporaryArea: {} },
    status: { useDisabled: false, writingDisabled: false },
    updateTimeRegister: null,
    batteryLevel: 100,
    settings: { backupThreshold: input.backupThreshold ?? DEFAULT_BACKUP_THRESHOLD, sessionTimeoutMs: input.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS },
    changedAccessTimes: {},
    session: null,
    lastSession: null,
    updateOwed: false,
    lists: {},
    pending: {},
    seenMessageIds: [],
  };
}
