import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { createActor, type AnyActor, type Snapshot } from 'xstate';
import type { Clock } from '../../common/clock.js';
import { toBase64 } from '../../common/bytes.js';
import { REMOTE_ACCESS_MESSAGES } from '../../core/remote-access.messages.js';
import { MessageCodec } from '../../protocol/codec.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import { Envelope } from '../../protocol/envelope.js';
import { isProtocolError, ProtocolError } from '../../protocol/errors.js';
import { deviceKindOf, type DeviceId, type PrincipalId } from '../../protocol/ids.js';
import { MessageRegistry } from '../../protocol/message-registry.js';
import type { MessageDefinition } from '../../protocol/message.js';
import { CORE_MACHINES } from '../../platform/core-catalog.js';
import type { DeviceCredentials } from '../credentials.js';
import type { DeviceTransport } from '../link/device-transport.js';
import type { TemporaryEntry, TerminalContext, TerminalEvent, UplinkEffect } from '../machines/terminal-events.js';
import { DeviceReplayWindow, ServiceProviderKeys } from './device-key-directory.js';

export interface DeviceRuntimeOptions {
  readonly clock: Clock;
  readonly crypto: CryptoBackend;
  readonly maxSkewMs: number;
  /** Where the terminal's memory survives a restart (its snapshot, as JSON). */
  readonly stateFile?: string;
  readonly messages?: readonly MessageDefinition[];
  readonly onRefusal?: (error: ProtocolError) => void;
}

/** Converts verified message fields to the plain JSON a machine context can hold (bytes as base64). */
function plainFields(value: unknown): unknown {
  if (value instanceof Uint8Array) return toBase64(value);
  if (Array.isArray(value)) return value.map(plainFields);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, plainFields(member)]));
  return value;
}

/**
 * Runs one terminal: its machine (the device kind's), its keys and its link to the service providing system. Used by
 * the device simulator process and by tests; real hardware implements the same behaviour in firmware.
 */
export class DeviceRuntime {
  readonly deviceId: DeviceId;
  private readonly codec: MessageCodec;
  private readonly replay = new DeviceReplayWindow();
  private readonly keys: ServiceProviderKeys;
  private actor: AnyActor | undefined;
  private readonly waiters = new Map<string, (entry: TemporaryEntry) => void>();

  constructor(
    readonly credentials: DeviceCredentials,
    private readonly transport: DeviceTransport,
    private readonly options: DeviceRuntimeOptions,
  ) {
    this.deviceId = credentials.deviceId as DeviceId;
    const registry = new MessageRegistry().register(...REMOTE_ACCESS_MESSAGES, ...(options.messages ?? []));
    this.codec = new MessageCodec(new Envelope(options.crypto), registry, options.clock, { maxSkewMs: options.maxSkewMs, numberRetentionMs: 24 * 3600 * 1000 });
    this.keys = new ServiceProviderKeys(credentials.sp.id, credentials.sp.signingPublicKey);
  }

  start(): void {
    const entry = CORE_MACHINES.find((machine) => machine.kind === `device:${deviceKindOf(this.deviceId)}`);
    if (entry === undefined) throw new Error(`no machine for ${this.deviceId}`);
    const snapshot = this.options.stateFile !== undefined && existsSync(this.options.stateFile) ? (JSON.parse(readFileSync(this.options.stateFile, 'utf8')) as Snapshot<unknown>) : undefined;
    const input = { deviceId: this.deviceId, principal: this.credentials.principal.id, merchantId: this.credentials.merchantId };
    const actor = createActor(entry.machine, snapshot === undefined ? { input } : { snapshot });
    actor.on('*', (emitted: { type: string }) => {
      if (emitted.type === 'effect.uplink') void this.uplink(emitted as UplinkEffect);
    });
    actor.subscribe(() => this.persist());
    this.actor = actor;
    actor.start();
    this.transport.onDownlink((payload) => this.downlink(payload));
  }

  get context(): TerminalContext {
    return (this.requireActor().getSnapshot() as { context: TerminalContext }).context;
  }

  get state(): string {
    return JSON.stringify((this.requireActor().getSnapshot() as { value: unknown }).value).replaceAll('"', '');
  }

  send(event: TerminalEvent): void {
    this.requireActor().send(event);
  }

  /** Starts a remote access [1473]/[1479] and resolves with what lands in the temporary area. */
  remoteAccess(dataAddress: string, timeoutMs = 10_000): Promise<TemporaryEntry & { requestId: string }> {
    const requestId = this.codec.newMessageId();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(requestId);
        reject(new Error(`no remote access data for ${dataAddress} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(requestId, (entry) => {
        clearTimeout(timer);
        resolve({ ...entry, requestId });
      });
      this.send({ type: 'remoteAccess.start', requestId, dataAddress });
    });
  }

  async close(): Promise<void> {
    this.actor?.stop();
    await this.transport.close();
  }

  private requireActor(): AnyActor {
    if (this.actor === undefined) throw new Error('device runtime not started');
    return this.actor;
  }

  private async uplink(effect: UplinkEffect): Promise<void> {
    const definition = this.codec.definition(effect.messageType);
    const { bytes } = this.codec.compose(
      definition,
      { id: effect.id, from: this.credentials.principal.id as PrincipalId, to: this.credentials.sp.id as PrincipalId, fields: effect.fields },
      [{ kid: this.credentials.principal.id, secretKey: this.credentials.principal.keys.signing.secretKey }],
      this.credentials.sp.sealingPublicKey,
    );
    await this.transport.send(bytes);
  }

  private async downlink(payload: Uint8Array): Promise<void> {
    const principal = this.credentials.principal;
    try {
      const verified = await this.codec.receive(payload, { id: principal.id as PrincipalId, sealingSecretKey: principal.keys.sealing.secretKey, sealingPublicKey: principal.keys.sealing.publicKey }, this.keys, this.replay);
      const { message } = verified;
      const fields = plainFields(message.fields) as Record<string, unknown>;
      this.send({ type: 'message.received', messageType: message.type, id: message.id, ...(message.re === undefined ? {} : { re: message.re }), fields });
      const address = typeof fields['dataAddress'] === 'string' ? fields['dataAddress'] : undefined;
      const waiter = message.re === undefined ? undefined : this.waiters.get(message.re);
      const stored = address === undefined ? undefined : this.context.memory.temporaryArea[address];
      if (waiter !== undefined && message.re !== undefined && stored !== undefined) {
        this.waiters.delete(message.re);
        waiter(stored);
      }
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      this.options.onRefusal?.(error);
    }
  }

  private persist(): void {
    if (this.options.stateFile === undefined || this.actor === undefined) return;
    const temporary = `${this.options.stateFile}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.actor.getPersistedSnapshot()));
    renameSync(temporary, this.options.stateFile);
  }
}
