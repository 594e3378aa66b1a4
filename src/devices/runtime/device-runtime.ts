import { createActor, type AnyActor, type AnyStateMachine, type Snapshot } from 'xstate';
import type { Clock } from '../../common/clock.js';
import { DATA_UPDATE_MESSAGES } from '../../core/data-update/data-update.messages.js';
import { fromPackets } from '../../core/data-update/packets.js';
import { updateContent, type DeviceRecord } from '../../core/data-update/terminal-image.js';
import { REMOTE_ACCESS_MESSAGES } from '../../core/remote-access.messages.js';
import { MessageCodec } from '../../protocol/codec.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import { Envelope } from '../../protocol/envelope.js';
import { isProtocolError, ProtocolError } from '../../protocol/errors.js';
import { deviceKindOf, type DeviceId, type PrincipalId } from '../../protocol/ids.js';
import { MessageRegistry } from '../../protocol/message-registry.js';
import type { Message, MessageDefinition } from '../../protocol/message.js';
import type { DeviceCredentials } from '../credentials.js';
import type { DeviceTransport } from '../link/device-transport.js';
import type { ProximityLink } from '../modules/proximity-link.js';
import type { TerminalModule, TerminalModuleFactory, TerminalModuleHost } from '../modules/terminal-module.js';
import type { EndedSession, SessionOutcome, TemporaryEntry, TerminalContext, TerminalEffect, TerminalEvent, UploadEffect } from '../machines/terminal-events.js';
import { TERMINAL_PROFILES, type TerminalProfile } from '../machines/terminal-profile.js';
import { terminalStateName } from '../machines/terminal-state.js';
import { DeviceReplayWindow, ServiceProviderKeys } from './device-key-directory.js';
import { mapDownlink, type UpdatePacket } from './downlink-events.js';
import { terminalInputFor, terminalMachineFor } from './terminal-machines.js';
import { readStateFile, writeFileAtomically, type Mutable, type PersistedTerminalSnapshot } from './terminal-state-file.js';
import { UpdatePacketCollector } from './update-collector.js';
import { TerminalUplinks } from './terminal-uplinks.js';

export interface DeviceRuntimeOptions {
  readonly clock: Clock;
  readonly crypto: CryptoBackend;
  readonly maxSkewMs: number;
  /** Where the terminal's memory survives a restart (its snapshot, as JSON). */
  readonly stateFile?: string;
  readonly messages?: readonly MessageDefinition[];
  readonly onRefusal?: (error: ProtocolError) => void;
  /** Q of [1541], [1549] (percent, default 20). */
  readonly backupThreshold?: number;
  /** How long a data update session waits for the SP at each step before it is abandoned (default 30 s). */
  readonly sessionTimeoutMs?: number;
  /** Period of the clock counter's tick (default 1 s); 0 starts no timer (tests call `tick`). */
  readonly tickIntervalMs?: number;
  /** Largest compressed upload packet (default PACKET_BYTES). */
  readonly packetBytes?: number;
  readonly onSessionEnded?: (session: EndedSession) => void;
  /** An uplink could not be handed to the link (outbox full...). The session it belonged to will be abandoned. */
  readonly onUplinkError?: (error: Error) => void;
  /** Terminal-side modules of the enabled services; those for this device's kind are run. */
  readonly modules?: readonly TerminalModuleFactory[];
  /** The terminal's proximity link (the spec's infrared), for modules that use one. */
  readonly proximity?: ProximityLink;
}

/** Thrown (as a rejection) when a use-disabled terminal is asked to do something ([1500], [1517]). */
export class TerminalUseDisabledError extends Error {
  override readonly name = 'TerminalUseDisabledError';
}

/**
 * Runs one terminal: its machine (the device kind's), its keys and its link to the service providing system. Used by
 * the device simulator process and by tests; real hardware implements the same behaviour in firmware. The machine
 * decides; the runtime signs, seals, packs, collects and decodes, and feeds the machine typed events.
 */
export class DeviceRuntime {
  readonly deviceId: DeviceId;
  readonly profile: TerminalProfile;
  private readonly codec: MessageCodec;
  private readonly replay = new DeviceReplayWindow();
  private readonly keys: ServiceProviderKeys;
  private readonly collector = new UpdatePacketCollector();
  private readonly uplinks: TerminalUplinks;
  private readonly machine: AnyStateMachine;
  private actor: AnyActor | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastPersisted = '';
  private lastEnded: EndedSession | null = null;
  private readonly remoteWaiters = new Map<string, (entry: TemporaryEntry) => void>();
  private readonly sessionWaiters = new Map<string, ((outcome: SessionOutcome) => void)[]>();
  private readonly modules = new Map<string, TerminalModule>();
  private readonly moduleByMessage = new Map<string, TerminalModule>();
  private readonly moduleFactories: readonly TerminalModuleFactory[];

  constructor(
    readonly credentials: DeviceCredentials,
    private readonly transport: DeviceTransport,
    private readonly options: DeviceRuntimeOptions,
  ) {
    this.deviceId = credentials.deviceId as DeviceId;
    this.profile = TERMINAL_PROFILES[deviceKindOf(this.deviceId)];
    this.moduleFactories = (options.modules ?? []).filter((factory) => factory.deviceKinds.includes(deviceKindOf(this.deviceId)));
    const own = [...REMOTE_ACCESS_MESSAGES, ...DATA_UPDATE_MESSAGES];
    const extra: MessageDefinition[] = [];
    for (const definition of [...(options.messages ?? []), ...this.moduleFactories.flatMap((factory) => factory.messages)]) {
      if (!own.some((known) => known.type === definition.type) && !extra.some((known) => known.type === definition.type)) extra.push(definition);
    }
    this.codec = new MessageCodec(new Envelope(options.crypto), new MessageRegistry().register(...own, ...extra), options.clock, { maxSkewMs: options.maxSkewMs, numberRetentionMs: 24 * 3600 * 1000 });
    this.keys = new ServiceProviderKeys(credentials.sp.id, credentials.sp.signingPublicKey);
    this.machine = terminalMachineFor(this.deviceId);
    this.uplinks = new TerminalUplinks(this.codec, credentials, transport, options.crypto, options.packetBytes);
  }

  start(): void {
    const snapshot = this.options.stateFile === undefined ? undefined : readStateFile(this.options.stateFile);
    this.startActor(snapshot);
    const { backupThreshold, sessionTimeoutMs } = this.options;
    if (backupThreshold !== undefined || sessionTimeoutMs !== undefined) this.send({ type: 'settings.changed', ...(backupThreshold === undefined ? {} : { backupThreshold }), ...(sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs }) });
    this.startModules();
    this.transport.onDownlink((payload) => this.downlink(payload));
    const interval = this.options.tickIntervalMs ?? 1000;
    if (interval > 0) this.timer = setInterval(() => this.tick(), interval).unref();
  }

  get context(): TerminalContext {
    return (this.requireActor().getSnapshot() as { context: TerminalContext }).context;
  }

  get state(): string {
    return terminalStateName((this.requireActor().getSnapshot() as { value: Parameters<typeof terminalStateName>[0] }).value);
  }

  /** The persisted snapshot, as the state file holds it (a copy). */
  persistedSnapshot(): PersistedTerminalSnapshot {
    return structuredClone(this.requireActor().getPersistedSnapshot()) as unknown as PersistedTerminalSnapshot;
  }

  /** Sends an event to the terminal's machine; after `close` (an upload finishing late) it is dropped. */
  send(event: TerminalEvent): void {
    if (this.closed) return;
    this.requireActor().send(event);
  }

  /** The clock counter: starts a due data update or backup, abandons a session past its deadline ([1486], [1503]). */
  tick(now: number = this.options.clock.now()): void {
    this.send({ type: 'clock.tick', now, messageId: this.codec.newMessageId() });
  }

  /** A battery measurement; at or below Q a backing-up terminal backs up at once ([1541], [1549]). */
  setBattery(level: number): void {
    if (!Number.isInteger(level) || level < 0 || level > 100) throw new RangeError(`battery level ${level} is not an integer percentage`);
    this.send({ type: 'battery.measured', level });
    this.tick();
  }

  /** Starts a remote access [1473]/[1479] and resolves with what lands in the temporary area. */
  remoteAccess(dataAddress: string, timeoutMs = 10_000): Promise<TemporaryEntry & { requestId: string }> {
    if (this.context.status.useDisabled) return Promise.reject(new TerminalUseDisabledError(`${this.deviceId} is use disabled`));
    const requestId = this.codec.newMessageId();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.remoteWaiters.delete(requestId);
        reject(new Error(`no remote access data for ${dataAddress} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.remoteWaiters.set(requestId, (entry) => {
        clearTimeout(timer);
        resolve({ ...entry, requestId });
      });
      this.send({ type: 'remoteAccess.start', requestId, dataAddress });
    });
  }

  /**
   * Starts a data update now (a backup if the battery is at or below Q on a backing-up kind) and resolves with how it
   * ended. Joins the session already running, if any. `timeoutMs` bounds each wait for the SP in this session.
   */
  dataUpdate(timeoutMs?: number): Promise<SessionOutcome> {
    if (this.context.status.useDisabled) return Promise.resolve('use-disabled');
    this.send({ type: 'update.start', now: this.options.clock.now(), messageId: this.codec.newMessageId(), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    const session = this.context.session;
    if (session === null) return Promise.reject(new Error(`${this.deviceId} started no data update session (state ${this.state})`));
    return this.outcomeOf(session.id);
  }

  /** Sets the battery to `level` (at or below Q), which makes the terminal back its memory up; resolves like `dataUpdate`. */
  backup(level: number, timeoutMs?: number): Promise<SessionOutcome> {
    if (!this.profile.backsUp) return Promise.reject(new Error(`${this.deviceId} never backs up (only mobile user terminals and merchant terminals do, [1541], [1549])`));
    if (!Number.isInteger(level) || level < 0) return Promise.reject(new RangeError(`battery level ${level} is not an integer percentage`));
    if (level > this.context.settings.backupThreshold) return Promise.reject(new RangeError(`battery level ${level} is above Q (${this.context.settings.backupThreshold}): no backup`));
    this.send({ type: 'battery.measured', level });
    return this.dataUpdate(timeoutMs);
  }

  /** Adds a record (an examination response...) for the next data update; refused while writing or use is disabled. */
  addRecord(record: DeviceRecord): 'stored' | 'refused' {
    const before = this.context.memory.records.length;
    this.send({ type: 'record.add', record });
    return this.context.memory.records.length > before ? 'stored' : 'refused';
  }

  /**
   * Edits the terminal's memory behind its machine's back, as a hacked device would (change a service data value, add
   * a forged record, roll memory back): the actor is rebuilt from the edited persisted snapshot, which is saved.
   */
  tamper(mutator: (context: Mutable<TerminalContext>) => void): void {
    const snapshot = this.persistedSnapshot() as Mutable<PersistedTerminalSnapshot>;
    mutator(snapshot.context);
    this.requireActor().stop();
    this.startActor(snapshot as PersistedTerminalSnapshot);
  }

  /** A terminal-side module this device runs, by module ID. */
  module<M extends TerminalModule>(moduleId: string): M {
    const module = this.modules.get(moduleId);
    if (module === undefined) throw new Error(`${this.deviceId} runs no module ${moduleId}`);
    return module as M;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const module of this.modules.values()) await module.close();
    await this.options.proximity?.close();
    this.actor?.stop();
    await this.transport.close();
  }

  private startModules(): void {
    const host = this.moduleHost();
    for (const factory of this.moduleFactories) {
      const module = factory.create(host);
      this.modules.set(module.moduleId, module);
      for (const type of module.messageTypes) this.moduleByMessage.set(type, module);
    }
  }

  private moduleHost(): TerminalModuleHost {
    const { stateFile } = this.options;
    return {
      deviceId: this.deviceId,
      credentials: this.credentials,
      clock: this.options.clock,
      crypto: this.options.crypto,
      envelope: this.codec.envelope,
      newMessageId: () => this.codec.newMessageId(),
      sendToServiceProvider: async (messageType, fields, header = {}) => {
        if (this.context.status.useDisabled) throw new TerminalUseDisabledError(`${this.deviceId} is use disabled`);
        await this.uplinks.send({ type: 'effect.uplink', id: header.id ?? this.codec.newMessageId(), messageType, fields, ...(header.pg === undefined ? {} : { pg: header.pg }), ...(header.re === undefined ? {} : { re: header.re }) });
      },
      proximity: this.options.proximity,
      publishOutput: (output, payload) => this.transport.publishOutput(output, payload),
      isUseDisabled: () => this.context.status.useDisabled,
      isWritingDisabled: () => this.context.status.writingDisabled,
      serviceData: () => this.context.memory.serviceData,
      addRecord: (record) => this.addRecord(record),
      stateFile: (moduleId) => (stateFile === undefined ? undefined : `${stateFile}.${moduleId}.cbor`),
    };
  }

  /** A module's downlink, once the codec has verified it; refused like any other when the terminal is use disabled. */
  private async deliverToModule(module: TerminalModule, message: Message): Promise<void> {
    if (this.context.status.useDisabled) throw new ProtocolError('disabled', `${this.deviceId} is use disabled: ${message.type} ignored`, { type: message.type });
    await module.onMessage(message);
  }

  private startActor(snapshot: PersistedTerminalSnapshot | undefined): void {
    const actor = createActor(this.machine, snapshot === undefined ? { input: terminalInputFor(this.credentials, this.options) } : { snapshot: snapshot as unknown as Snapshot<unknown> });
    actor.on('*', (emitted: TerminalEffect) => this.effect(emitted));
    actor.subscribe(() => this.afterStep());
    this.actor = actor;
    this.lastEnded = (actor.getSnapshot() as { context: TerminalContext }).context.lastSession;
    actor.start();
    this.persist();
  }

  private effect(effect: TerminalEffect): void {
    const work = effect.type === 'effect.upload' ? this.upload(effect) : this.uplinks.send(effect);
    work.catch((error: unknown) => this.options.onUplinkError?.(error instanceof Error ? error : new Error(String(error))));
  }

  private afterStep(): void {
    this.persist();
    const ended = this.context.lastSession;
    if (ended === null || (ended.id === this.lastEnded?.id && ended.endedAt === this.lastEnded.endedAt)) return;
    this.lastEnded = ended;
    if (ended.pg !== null) this.collector.forget(ended.pg);
    this.options.onSessionEnded?.(ended);
    if (ended.outcome === 'updated') for (const module of this.modules.values()) void module.onDataUpdated?.().catch((error: unknown) => this.options.onUplinkError?.(error instanceof Error ? error : new Error(String(error))));
    for (const resolve of this.sessionWaiters.get(ended.id) ?? []) resolve(ended.outcome);
    this.sessionWaiters.delete(ended.id);
  }

  private outcomeOf(sessionId: string): Promise<SessionOutcome> {
    return new Promise((resolve) => this.sessionWaiters.set(sessionId, [...(this.sessionWaiters.get(sessionId) ?? []), resolve]));
  }

  private requireActor(): AnyActor {
    if (this.actor === undefined) throw new Error('device runtime not started');
    return this.actor;
  }

  /** Reports the upload's end to the machine: handed over (the SP's deadline starts) or failed (the session ends). */
  private async upload(effect: UploadEffect): Promise<void> {
    try {
      await this.uplinks.upload(effect);
    } catch (error) {
      this.send({ type: 'upload.failed', pg: effect.pg, reason: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    this.send({ type: 'upload.sent', pg: effect.pg, at: this.options.clock.now() });
  }

  private async downlink(payload: Uint8Array): Promise<void> {
    const principal = this.credentials.principal;
    try {
      const { message } = await this.codec.receive(payload, { id: principal.id as PrincipalId, sealingSecretKey: principal.keys.sealing.secretKey, sealingPublicKey: principal.keys.sealing.publicKey }, this.keys, this.replay);
      const module = this.moduleByMessage.get(message.type);
      if (module !== undefined) return await this.deliverToModule(module, message);
      const downlink = mapDownlink(message, this.options.clock.now());
      if (downlink.kind === 'updatePacket') return this.collect(downlink.packet);
      this.send(downlink.event);
      if (downlink.event.type === 'message.received') this.answerRemoteWaiter(downlink.event.re, downlink.event.fields);
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      this.options.onRefusal?.(error);
    }
  }

  private answerRemoteWaiter(re: string | undefined, fields: Record<string, unknown>): void {
    const address = typeof fields['dataAddress'] === 'string' ? fields['dataAddress'] : undefined;
    const waiter = re === undefined ? undefined : this.remoteWaiters.get(re);
    const stored = address === undefined ? undefined : this.context.memory.temporaryArea[address];
    if (waiter === undefined || re === undefined || stored === undefined) return;
    this.remoteWaiters.delete(re);
    waiter(stored);
  }

  /** Update data of the running session, collected in any order; applied once, when all packets are there. */
  private collect(packet: UpdatePacket): void {
    // A packet of the session that just ended comes back when the link resumes its persistent session: not a refusal.
    if (this.context.lastSession?.pg === packet.pg) return;
    if (this.context.session?.pg !== packet.pg) throw new ProtocolError('refused', `update data for ${packet.pg}: no such data update session`, { type: 'updateData' });
    const result = this.collector.add(packet);
    if (result.status === 'inconsistent') throw new ProtocolError('schema', `update data of ${packet.pg}: ${result.reason}`, { type: 'updateData' });
    if (result.status !== 'complete') return;
    const content = updateContent.safeParse(fromPackets(result.packets));
    if (!content.success) throw new ProtocolError('schema', `update data of ${packet.pg}: ${content.error.issues[0]?.message ?? 'invalid'}`, { type: 'updateData' });
    this.send({ type: 'update.received', pg: packet.pg, content: content.data, at: this.options.clock.now() });
  }

  private persist(): void {
    if (this.options.stateFile === undefined || this.actor === undefined) return;
    const json = JSON.stringify(this.actor.getPersistedSnapshot());
    if (json === this.lastPersisted) return;
    this.lastPersisted = json;
    writeFileAtomically(this.options.stateFile, json);
  }
}
