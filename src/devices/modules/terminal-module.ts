import type { Clock } from '../../common/clock.js';
import type { DataItem, DeviceRecord } from '../../core/data-update/terminal-image.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import type { Envelope } from '../../protocol/envelope.js';
import type { DeviceId, DeviceKind } from '../../protocol/ids.js';
import type { Message, MessageDefinition } from '../../protocol/message.js';
import type { DeviceCredentials } from '../credentials.js';
import type { ProximityLink } from './proximity-link.js';

/**
 * What a device runtime gives the terminal-side modules of a service (the ticket examination module of a gate, a
 * mobile user terminal's ticket wallet): the terminal's identity, its link to the service providing system, its
 * proximity link (the spec's infrared), its outputs and the statuses every operation must respect.
 */
export interface TerminalModuleHost {
  readonly deviceId: DeviceId;
  readonly credentials: DeviceCredentials;
  readonly clock: Clock;
  readonly crypto: CryptoBackend;
  readonly envelope: Envelope;
  newMessageId(): string;
  /** Signs as the terminal's principal (the user, or the merchant's device), closes and addresses to the SP, sends. */
  sendToServiceProvider(messageType: string, fields: Record<string, unknown>, header?: { readonly id?: string; readonly pg?: string; readonly re?: string }): Promise<void>;
  /** The proximity link, when the terminal has one. */
  readonly proximity: ProximityLink | undefined;
  /** A device output (a gate's opening signal). */
  publishOutput(output: string, payload: Uint8Array): Promise<void>;
  /** Terminal status 1802 / 3302: a use-disabled terminal refuses every operation ([1500], [1517]). */
  isUseDisabled(): boolean;
  isWritingDisabled(): boolean;
  /** The terminal's service data area as the last update data left it (read only: only the SP writes it; optional for hosts built by hand). */
  serviceData?(): Readonly<Record<string, DataItem>>;
  /** A record for the next data update's upload (an examination response): refused while writing is disabled. */
  addRecord(record: DeviceRecord): 'stored' | 'refused';
  /** Where the module keeps its memory across restarts, or undefined for a terminal that keeps none. */
  stateFile(moduleId: string): string | undefined;
}

/** One terminal-side module, running in one device. */
export interface TerminalModule {
  readonly moduleId: string;
  /** Verified downlinks of these types go to this module. */
  readonly messageTypes: readonly string[];
  /** A downlink that has passed the inbound checks (decrypted, signature, addressee, freshness, replay). */
  onMessage(message: Message): Promise<void>;
  /** Called after a data update session ended with new update data in memory (read it with `host.serviceData()`). */
  onDataUpdated?(): Promise<void>;
  close(): Promise<void>;
}

/** What a service plugin declares for the devices: which kinds run the module, its messages, how to make one. */
export interface TerminalModuleFactory {
  readonly moduleId: string;
  readonly deviceKinds: readonly DeviceKind[];
  readonly messages: readonly MessageDefinition[];
  create(host: TerminalModuleHost): TerminalModule;
}
