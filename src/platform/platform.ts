import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ActorSystem } from '../actors/actor-system.js';
import { MachineCatalog } from '../actors/machine-catalog.js';
import { systemClock, type Clock } from '../common/clock.js';
import type { TesseraConfig } from '../config/config.schema.js';
import { AuditLog, type PlatformLogger } from '../core/audit-log.js';
import { DeviceGateway } from '../core/device-gateway.js';
import { ExternalDirectory } from '../core/external-directory.js';
import { OutboxDispatcher } from '../core/outbox-dispatcher.js';
import { REMOTE_ACCESS_MESSAGES } from '../core/remote-access.messages.js';
import { remoteAccessRoutes } from '../core/remote-access.routes.js';
import { RemoteDataStore } from '../core/remote-data-store.js';
import { IdentityDirectory } from '../identity/identity-directory.js';
import { loadOrCreateKeyFile } from '../identity/key-file.js';
import { InspectionLog } from '../inspection/inspection-log.js';
import { openDataSource, databaseTarget } from '../persistence/data-source.js';
import { CORE_ENTITIES } from '../persistence/entities/index.js';
import { CORE_MIGRATIONS } from '../persistence/migrations/index.js';
import { PersistedReplayWindow } from '../persistence/replay-window.js';
import { writeBatcher } from '../persistence/write-batch.js';
import type { ServicePlugin } from '../plugins/plugin.contract.js';
import { MessageCodec, type Recipient } from '../protocol/codec.js';
import type { CryptoBackend } from '../protocol/crypto/crypto-backend.js';
import { NobleCryptoBackend } from '../protocol/crypto/noble-backend.js';
import { NodeCryptoBackend } from '../protocol/crypto/node-backend.js';
import { Envelope, type Signer } from '../protocol/envelope.js';
import { ids, isDeviceId, type SpId } from '../protocol/ids.js';
import { MessageRegistry } from '../protocol/message-registry.js';
import { BrokerLink } from '../transport/mqtt/broker-link.js';
import type { ServiceTransport } from '../transport/mqtt/service-transport.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../transport/mqtt/embedded-broker.js';
import { CORE_MACHINES } from './core-catalog.js';
import { DATA_UPDATE_MESSAGES } from '../core/data-update/data-update.messages.js';
import { dataUpdateRoutes, dataUpdateRequestEvent } from '../core/data-update/data-update.routes.js';
import { TerminalMirrorService, type CompareUploadInput } from '../core/data-update/terminal-mirror.service.js';
import type { UpdateOptionCode } from '../core/data-update/terminal-image.js';
import { COMPARE_UPLOAD_TASK } from '../actors/data-update-director.machine.js';
import { ActorSnapshotEntity, DeviceEntity, UserListEntity } from '../persistence/entities/index.js';
import { attachTransactionProcessing, TPS_MESSAGES } from './transaction-processing.js';
import { attachReferenceIssuers } from './reference-issuers.js';
import { toHex } from '../common/bytes.js';
import { FORCIBLE_UPDATE_TASK, type ForcibleUpdateInput } from '../core/data-update/forcible-update-task.js';
import { ExternalGateway } from '../core/external-gateway.js';
import { externalReceipt } from '../core/external-inbound.messages.js';
import { startExternalPartyServer } from '../external/transport/start-external-party-server.js';
import type { RunningIssuer } from '../plugins/plugin.contract.js';

export interface PlatformOptions {
  readonly clock?: Clock;
  readonly logger: PlatformLogger;
  readonly plugins: readonly ServicePlugin[];
}

const REPLAY_PRUNE_INTERVAL_MS = 60_000;

export function cryptoBackend(name: TesseraConfig['protocol']['cryptoBackend']): CryptoBackend {
  return name === 'noble' ? new NobleCryptoBackend() : new NodeCryptoBackend();
}

/**
 * The service providing system, composed: database, identities, protocol, actors, MQTT and external parties.
 * `startPlatform` builds and starts it; `close` stops everything it started.
 */
export class Platform {
  private readonly closers: (() => Promise<void>)[] = [];

  private constructor(
    readonly config: TesseraConfig,
    readonly clock: Clock,
    readonly logger: PlatformLogger,
    readonly spId: SpId,
    readonly crypto: CryptoBackend,
    readonly envelope: Envelope,
    readonly registry: MessageRegistry,
    readonly codec: MessageCodec,
    readonly dataSource: DataSource,
    readonly identity: IdentityDirectory,
    readonly replay: PersistedReplayWindow,
    readonly inspection: InspectionLog,
    readonly audit: AuditLog,
    readonly catalog: MachineCatalog,
    readonly actors: ActorSystem,
    readonly remoteData: RemoteDataStore,
    readonly external: ExternalDirectory,
    readonly plugins: readonly ServicePlugin[],
  ) {}

  gateway!: DeviceGateway;
  externalGateway!: ExternalGateway;
  /** Where external parties reach the SP's external gateway. */
  inboundAddress = { host: '', port: 0 };
  mirror!: TerminalMirrorService;
  dispatcher!: OutboxDispatcher;
  brokerLink!: ServiceTransport;
  embeddedBroker: EmbeddedBroker | undefined;
  /** The transaction processing system clearing goes to. */
  tpsId: string | undefined;
  /** Reference issuing systems the platform started beside itself. */
  referenceIssuers: readonly RunningIssuer[] = [];
  /** The URL devices attach to. */
  mqttUrl = '';
  /** Devices whose retained status says online: downlinks to others wait in the outbox. */
  readonly onlineDevices = new Set<string>();

  static async start(config: TesseraConfig, options: PlatformOptions): Promise<Platform> {
    const clock = options.clock ?? systemClock;
    const spId = ids.sp(config.sp.name);
    const crypto = cryptoBackend(config.protocol.cryptoBackend);
    const envelope = new Envelope(crypto);
    const registry = new MessageRegistry().register(...REMOTE_ACCESS_MESSAGES, ...DATA_UPDATE_MESSAGES, ...TPS_MESSAGES, externalReceipt);
    const catalog = new MachineCatalog().register(...CORE_MACHINES);
    for (const plugin of options.plugins) {
      registry.register(...plugin.descriptor.messages);
      catalog.register(...plugin.descriptor.machines);
    }
    const spKeys = loadOrCreateKeyFile(join(config.dataDir, 'keys', 'sp-root.json'), spId, crypto);
    const dataSource = await openDataSource(
      databaseTarget(config),
      [...CORE_ENTITIES, ...options.plugins.flatMap((plugin) => plugin.descriptor.entities as unknown[])] as never,
      [...CORE_MIGRATIONS, ...options.plugins.flatMap((plugin) => plugin.descriptor.migrations as unknown[])] as never,
    );
    const codec = new MessageCodec(envelope, registry, clock, { maxSkewMs: config.protocol.maxSkewMs, numberRetentionMs: config.protocol.numberRetentionMs });
    const identity = new IdentityDirectory(dataSource, envelope, clock, { id: spId, keys: spKeys.keys });
    await identity.ensureServiceProvider(`Service providing system ${config.sp.name}`);
    const inspection = new InspectionLog(dataSource, clock);
    const audit = new AuditLog(dataSource, clock, options.logger);
    const actors = new ActorSystem(dataSource, catalog, inspection, clock, { spId, newMessageId: () => codec.newMessageId() }, { idleEvictMs: config.actors.idleEvictMs });
    const platform = new Platform(
      config,
      clock,
      options.logger,
      spId,
      crypto,
      envelope,
      registry,
      codec,
      dataSource,
      identity,
      new PersistedReplayWindow(dataSource, (error) => options.logger.error(`replay window: a message digest was not stored: ${error instanceof Error ? error.message : String(error)}`)),
      inspection,
      audit,
      catalog,
      actors,
      new RemoteDataStore(dataSource, clock),
      new ExternalDirectory(config.external.timeoutMs),
      options.plugins,
    );
    platform.closers.push(async () => dataSource.destroy());
    // Before the database closes: writes deferred to ride with a later batch (trace rows, replay digests) are written.
    platform.closers.push(() => writeBatcher(dataSource).flushDeferred());
    for (const [party, address] of Object.entries(config.external.parties)) platform.external.register(party, address);
    try {
      await platform.replay.load(clock.now());
      platform.pruneReplayWindow();
      await platform.wire(spKeys.keys.signing.secretKey, spKeys.keys.sealing);
    } catch (error) {
      await platform.close();
      throw error;
    }
    return platform;
  }

  /** Expired replay entries go every minute (a message they would catch is refused as stale by then). */
  private pruneReplayWindow(): void {
    const timer = setInterval(() => {
      this.replay.prune(this.clock.now()).catch((error: unknown) => this.logger.error(`replay window prune failed: ${error instanceof Error ? error.message : String(error)}`));
    }, REPLAY_PRUNE_INTERVAL_MS);
    timer.unref();
    this.closers.push(async () => clearInterval(timer));
  }

  get recipient(): Recipient {
    return { id: this.spId, sealingSecretKey: this.identity.sp.keys.sealing.secretKey, sealingPublicKey: this.identity.sp.keys.sealing.publicKey };
  }

  private async wire(signingSecret: Uint8Array, sealing: { publicKey: Uint8Array; secretKey: Uint8Array }): Promise<void> {
    const signer: Signer = { kid: this.spId, secretKey: signingSecret };
    const sp = { id: this.spId, sealingSecretKey: sealing.secretKey, sealingPublicKey: sealing.publicKey, signer };
    this.gateway = new DeviceGateway(this.dataSource, this.codec, this.identity, this.replay, this.actors, this.audit, this.inspection, sp, this.clock);
    this.gateway.addRoutes(...remoteAccessRoutes(this.spId, this.remoteData));
    this.mirror = new TerminalMirrorService(this.dataSource, this.crypto, this.clock, this.audit, this.config.dataUpdate, (deviceId) => this.identity.forget(deviceId));
    for (const plugin of this.plugins) this.mirror.addHooks(...(plugin.descriptor.dataUpdateHooks ?? []));
    this.gateway.addRoutes(...dataUpdateRoutes(this.spId, this.mirror, this.actors, this.config.dataUpdate.uploadTimeoutMs));
    for (const plugin of this.plugins) this.gateway.addRoutes(...plugin.descriptor.inboundRoutes);

    const tps = await attachTransactionProcessing(this);
    this.closers.push(() => tps.close());
    this.tpsId = tps.id;
    await this.startExternalInbound(sp);
    const issuers = await attachReferenceIssuers(this);
    this.closers.push(() => issuers.close());
    this.referenceIssuers = issuers.issuers;
    await this.startMqtt();
    this.dispatcher = new OutboxDispatcher(
      this.dataSource,
      this.envelope,
      this.registry,
      this.codec,
      this.identity,
      this.replay,
      this.actors,
      this.inspection,
      this.audit,
      sp,
      (deviceId, frame) => {
        if (!isDeviceId(deviceId)) throw new Error(`not a device: ${deviceId}`);
        return this.brokerLink.publishDown(deviceId, frame);
      },
      this.external,
      this.clock,
      this.logger,
      (deviceId) => this.onlineDevices.has(deviceId),
    );
    this.dispatcher.registerTask(COMPARE_UPLOAD_TASK, (input, key) => this.mirror.compareUpload(input as CompareUploadInput, key));
    this.dispatcher.registerTask(FORCIBLE_UPDATE_TASK, async (input, key) => {
      const { deviceIds, optionCode } = input as ForcibleUpdateInput;
      return { processGroups: await this.forcibleUpdate(deviceIds, optionCode, key) };
    });
    this.wirePlugins(signer);
    this.actors.onCommitted((rows) => this.dispatcher.dispatch(rows));
    this.actors.onImmediate((messages) => this.dispatcher.sendNow(messages));
    this.actors.startSweeping();
    this.closers.push(async () => {
      this.dispatcher.stop();
      this.actors.stop();
      await this.inspection.flush();
      await this.external.close();
    });
  }

  private async startExternalInbound(sp: Recipient & { readonly signer: Signer }): Promise<void> {
    this.externalGateway = new ExternalGateway(this.codec, this.identity, this.replay, this.actors, this.audit, this.inspection, sp);
    const { host, port } = this.config.external.inbound;
    let server;
    try {
      server = await startExternalPartyServer((frame) => this.externalGateway.handle(frame), { host, port, logger: false });
    } catch (error) {
      throw new Error(`external.inbound: cannot listen on ${host}:${port} (${error instanceof Error ? error.message : String(error)})`);
    }
    this.closers.push(() => server.close());
    this.inboundAddress = { host, port: server.port };
  }

  private wirePlugins(spSigner: Signer): void {
    const tpsId = this.tpsId;
    if (tpsId === undefined) throw new Error('plugins are wired after the transaction processing system is attached');
    const services = {
      config: this.config,
      spId: this.spId,
      dataSource: this.dataSource,
      identity: this.identity,
      envelope: this.envelope,
      crypto: this.crypto,
      clock: this.clock,
      audit: this.audit,
      actors: this.actors,
      spSigner,
      tpsId,
      newId: () => this.codec.newMessageId(),
    };
    for (const plugin of this.plugins) {
      const wiring = plugin.descriptor.wire?.(services);
      if (wiring === undefined) continue;
      this.gateway.addRoutes(...(wiring.inboundRoutes ?? []));
      this.mirror.addHooks(...(wiring.dataUpdateHooks ?? []));
      for (const [name, handler] of Object.entries(wiring.tasks ?? {})) this.dispatcher.registerTask(name, handler);
      this.externalGateway.addRoutes(...(wiring.externalRoutes ?? []));
      if (wiring.close !== undefined) this.closers.push(() => wiring.close?.() ?? Promise.resolve());
    }
  }

  private async startMqtt(): Promise<void> {
    const { mqtt } = this.config;
    let username = mqtt.username ?? undefined;
    let password = mqtt.password ?? undefined;
    let url = mqtt.url;
    if (url === null) {
      username = this.spId;
      password = randomBytes(24).toString('base64url');
      const broker = await startEmbeddedBroker({
        host: mqtt.embedded.host,
        port: mqtt.embedded.port,
        maxSkewMs: this.config.protocol.maxSkewMs,
        clock: this.clock,
        crypto: this.crypto,
        lookupDevice: async (id) => {
          const device = await this.identity.device(id);
          return device === null ? undefined : { signingPublicKey: Buffer.from(device.signingPublicKey, 'base64'), enabled: device.status === 'active' };
        },
        service: { username, password },
        outputReaders: mqtt.embedded.outputReaders,
        onRefusal: (refusal) => void this.audit.record({ category: 'refusal', reason: `mqtt-${refusal.action}:${refusal.reason}`, principal: refusal.username ?? null, transport: refusal.clientId, message: `MQTT ${refusal.action} refused (${refusal.reason})`, detail: { ...refusal } }),
      });
      this.embeddedBroker = broker;
      this.closers.push(() => broker.close());
      url = broker.url;
    }
    this.mqttUrl = url;
    const link = this.embeddedBroker === undefined ? new BrokerLink({ clientId: `${mqtt.clientId}-${this.config.sp.name}` }) : this.embeddedBroker.serviceLink();
    this.brokerLink = link;
    link.onUplink(async (deviceId, payload) => {
      this.onlineDevices.add(deviceId);
      await this.gateway.handleUplink(deviceId, payload);
    });
    link.onStatus(async (deviceId, status) => {
      if (status === 'offline') {
        this.onlineDevices.delete(deviceId);
        return;
      }
      this.onlineDevices.add(deviceId);
      await this.dispatcher?.redeliverTo(deviceId);
    });
    if (link instanceof BrokerLink) await link.connect(url, username, password);
    else await link.attach();
    this.closers.push(() => this.brokerLink.close());
  }

  /** Starts delivering: outbox rows left by a previous run first, then retries every second. */
  async resume(): Promise<number> {
    const redelivered = await this.dispatcher.redeliverPending();
    this.dispatcher.startRetrying(1000);
    return redelivered;
  }

  /**
   * Forcible data updating ([1519]-[1538]): a data update instruction to each terminal; each runs its own session.
   * Returns the process groups opened. With a `key` (a task's), the process groups derive from it, so asking again
   * reaches the same sessions instead of opening new ones.
   */
  async forcibleUpdate(deviceIds: readonly string[], optionCode: UpdateOptionCode, key?: string): Promise<string[]> {
    const opened: string[] = [];
    for (const deviceId of deviceIds) {
      const device = await this.dataSource.getRepository(DeviceEntity).findOneBy({ id: deviceId });
      if (device === null || device.status !== 'active') continue;
      const principal = device.kind === 'mobile' ? (await this.dataSource.getRepository(UserListEntity).findOneBy({ terminalId: device.id }))?.userId : device.id;
      if (principal === undefined) continue;
      const pg = `txn:forcible-update:${key === undefined ? this.codec.newMessageId() : toHex(this.crypto.sha256(new TextEncoder().encode(`${key}\n${deviceId}`))).slice(0, 32)}`;
      const routed = dataUpdateRequestEvent(this.spId, pg, 'forcible', device, principal, optionCode, this.config.dataUpdate.forcibleTimeoutMs);
      await this.actors.send(routed.actorId, routed.event, {}, { kind: routed.kind, input: routed.input });
      opened.push(pg);
    }
    return opened;
  }

  /** Data update sessions still open (a terminal that has not uploaded yet). */
  async openSessions(): Promise<ActorSnapshotEntity[]> {
    return this.dataSource.getRepository(ActorSnapshotEntity).findBy({ kind: 'director:data-update', status: 'active' });
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        this.logger.error(`while closing: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
