import type { DataItem, DeviceRecord, JsonValue, UpdateContent, UpdateOptionCode } from '../../core/data-update/terminal-image.js';
import type { TerminalMemory } from './terminal-context.js';

export type { EndedSession, SessionKind, SessionOutcome, TemporaryEntry, TerminalContext, TerminalInput, TerminalMemory, UpdateSession } from './terminal-context.js';

/** Remote access [1471]-[1483]. */
type RemoteAccessEvent =
  | { readonly type: 'remoteAccess.start'; readonly requestId: string; readonly dataAddress: string }
  /** A verified downlink the runtime has no typed event for (remote access data), byte fields as base64. */
  | { readonly type: 'message.received'; readonly messageType: string; readonly id: string; readonly re?: string; readonly fields: Record<string, unknown> };

/**
 * Data updating [1484]-[1518], forcible data updating [1519]-[1538], data backup [1539]-[1555]. Events that may make the
 * terminal send carry `messageId`, an ID the runtime minted for that message (machines stay pure). Downlinks arrive
 * verified (signature, addressee, freshness) and mapped by the runtime; update data arrive whole, decoded.
 */
type DataUpdateEvent =
  /** The clock counter moved: starts a due data update or backup, abandons a session past its deadline. */
  | { readonly type: 'clock.tick'; readonly now: number; readonly messageId: string }
  /** Start a data update now (a backup when the battery is at or below Q on a backing-up kind). */
  | { readonly type: 'update.start'; readonly now: number; readonly messageId: string; readonly timeoutMs?: number }
  /** Data update request response 5603 / 5703 / 5610 / 5710: header `re` = the request's ID, `pg` = the session. */
  | { readonly type: 'update.responded'; readonly messageId: string; readonly re: string; readonly pg: string; readonly optionCode: UpdateOptionCode; readonly at: number }
  /** Data update instruction 5606 / 5706 (forcible data updating). */
  | { readonly type: 'update.instructed'; readonly messageId: string; readonly pg: string; readonly optionCode: UpdateOptionCode; readonly at: number }
  /** The runtime has handed every upload packet of the session to the link (or could not). */
  | { readonly type: 'upload.sent'; readonly pg: string; readonly at: number }
  | { readonly type: 'upload.failed'; readonly pg: string; readonly reason: string }
  /** Every update data packet of the session arrived, decoded and schema-checked by the runtime. */
  | { readonly type: 'update.received'; readonly pg: string; readonly content: UpdateContent; readonly at: number }
  /** Mandatory expiration instruction 5605' / 5705' / 5612' / 5712'. */
  | { readonly type: 'expiration.instructed'; readonly messageId: string; readonly pg: string | null; readonly at: number };

/** What the terminal itself does with its memory; service plugins' terminal modules use these. */
type MemoryEvent =
  /** A new record (an examination response, a micro-check...): refused while writing is disabled. */
  | { readonly type: 'record.add'; readonly record: DeviceRecord }
  /** Writes the user area: refused while writing is disabled. */
  | { readonly type: 'userArea.write'; readonly key: string; readonly value: JsonValue; readonly at: number }
  /** Uses a service data item: its access time changes and travels with the next "changes" upload. */
  | { readonly type: 'serviceData.access'; readonly key: string; readonly at: number };

type StatusEvent =
  | { readonly type: 'battery.measured'; readonly level: number }
  | { readonly type: 'settings.changed'; readonly backupThreshold?: number; readonly sessionTimeoutMs?: number }
  | { readonly type: 'terminal.useDisabled'; readonly reason: string; readonly at?: number };

/** Events a terminal's machine handles. */
export type TerminalEvent = RemoteAccessEvent | DataUpdateEvent | MemoryEvent | StatusEvent;

/** Whose IDs a terminal's data update messages carry: [1487] the user ID; [1504] the terminal ID and merchant (CSP) ID. */
export type PartyFields = { readonly userId: string } | { readonly terminalId: string; readonly merchantId: string | null };

/** What a terminal's machine asks its runtime to send to the service providing system, as it is. */
export interface UplinkEffect {
  readonly type: 'effect.uplink';
  readonly id: string;
  readonly messageType: string;
  readonly fields: Record<string, unknown>;
  readonly pg?: string;
  readonly re?: string;
}

/** The memory a data update upload is built from, as it was when the upload was decided. */
export interface UploadImage {
  readonly basicProgram: TerminalMemory['basicProgram'];
  readonly serviceData: Record<string, DataItem>;
  readonly userArea: Record<string, DataItem>;
  readonly records: readonly DeviceRecord[];
  readonly changedAccessTimes: Record<string, number>;
  readonly batteryLevel: number;
}

/**
 * Upload data 5604 / 5704 / 5607 / 5707 / 5611 / 5711: the runtime builds the upload content for the option code from
 * `image`, packs it, and sends each packet as `uploadData` with header `pg`; then answers `upload.sent`.
 */
export interface UploadEffect {
  readonly type: 'effect.upload';
  readonly pg: string;
  readonly optionCode: UpdateOptionCode;
  readonly party: PartyFields;
  readonly image: UploadImage;
}

export type TerminalEffect = UplinkEffect | UploadEffect;
