import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ManualClock, systemClock, type Clock } from '../../src/common/clock.js';
import { loadConfig } from '../../src/config/config.loader.js';
import type { TesseraConfig } from '../../src/config/config.schema.js';
import type { PlatformLogger } from '../../src/core/audit-log.js';
import type { DeviceCredentials } from '../../src/devices/credentials.js';
import { attachDevice, type AttachOptions } from '../../src/devices/runtime/attach-device.js';
import type { DeviceRuntime } from '../../src/devices/runtime/device-runtime.js';
import type { DeviceLink } from '../../src/devices/link/device-link.js';
import { Enrolment } from '../../src/platform/enrolment.js';
import { Platform } from '../../src/platform/platform.js';
import { NodeCryptoBackend } from '../../src/protocol/crypto/node-backend.js';
import type { ProtocolError } from '../../src/protocol/errors.js';
import type { DeviceKind } from '../../src/protocol/ids.js';
import { createTestDatabase } from './test-database.js';
import type { ServicePlugin } from '../../src/plugins/plugin.contract.js';
import { MemoryProximityHub } from '../../src/devices/modules/proximity-link.js';
import mqtt from 'mqtt';
import { statusTopic } from '../../src/transport/mqtt/topics.js';
import type { DeviceId } from '../../src/protocol/ids.js';

export const quietLogger: PlatformLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

export interface AttachedDevice {
  readonly credentials: DeviceCredentials;
  readonly runtime: DeviceRuntime;
  readonly link: DeviceLink;
  readonly refusals: ProtocolError[];
}

/**
 * A world of parties on a real database and a real broker over TCP: the embedded broker on an ephemeral port, or the
 * broker at TESSERA_TEST_MQTT_URL; SQLite in a temp folder, or a fresh PostgreSQL database (TESSERA_TEST_DATABASE_URL).
 */
export class TestWorld {
  readonly devices: AttachedDevice[] = [];
  /** The proximity link (infrared) between devices of this world, in memory. */
  readonly proximity = new MemoryProximityHub();
  private constructor(
    readonly platform: Platform,
    readonly dir: string,
    readonly clock: Clock,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  static async create(overrides: { clock?: Clock; config?: Partial<Record<string, unknown>>; plugins?: readonly ServicePlugin[] } = {}): Promise<TestWorld> {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-world-'));
    const database = await createTestDatabase();
    const name = `w${randomBytes(4).toString('hex')}`;
    const config = TestWorld.config(dir, name, database.url, overrides.config ?? {});
    const clock = overrides.clock ?? systemClock;
    const platform = await Platform.start(config, { logger: quietLogger, plugins: overrides.plugins ?? [], clock });
    await platform.resume();
    return new TestWorld(platform, dir, clock, database.drop);
  }

  static config(dir: string, name: string, databaseUrl: string | null, extra: Record<string, unknown>): TesseraConfig {
    const externalMqtt = process.env['TESSERA_TEST_MQTT_URL'];
    return loadConfig({
      env: {},
      overrides: {
        sp: { name },
        dataDir: dir,
        http: { host: '127.0.0.1', port: 0 },
        mqtt: { url: externalMqtt === undefined || externalMqtt === '' ? null : externalMqtt, username: null, password: null, clientId: `tessera-test-${name}`, embedded: { host: '127.0.0.1', port: 0 } },
        database: { url: databaseUrl, sqliteFile: 'tessera.sqlite' },
        ...(extra as Record<string, never>),
      },
    });
  }

  get enrol(): Enrolment {
    return new Enrolment(this.platform);
  }

  get usesEmbeddedBroker(): boolean {
    return this.platform.embeddedBroker !== undefined;
  }

  async attach(credentials: DeviceCredentials, options: Partial<Omit<AttachOptions, 'crypto' | 'clock' | 'maxSkewMs' | 'mqttUrl' | 'onRefusal'>> = {}): Promise<AttachedDevice> {
    const refusals: ProtocolError[] = [];
    const { runtime, link } = await attachDevice(credentials, {
      crypto: new NodeCryptoBackend(),
      clock: this.clock,
      maxSkewMs: this.platform.config.protocol.maxSkewMs,
      mqttUrl: this.platform.mqttUrl,
      onRefusal: (error) => refusals.push(error),
      modules: this.platform.plugins.flatMap((plugin) => plugin.descriptor.deviceModules ?? []),
      proximity: this.proximity.link(credentials.deviceId as DeviceId),
      ...options,
    });
    const device = { credentials, runtime, link, refusals };
    this.devices.push(device);
    return device;
  }

  /** A user with an attached mobile user terminal. */
  async user(name: string, options: Parameters<TestWorld['attach']>[1] = {}): Promise<AttachedDevice> {
    return this.attach(await this.enrol.user(name), options);
  }

  /** A merchant-owned device of any non-mobile kind, attached. */
  async merchantDevice(kind: Exclude<DeviceKind, 'mobile'>, name: string, owner = 'shop', options: Parameters<TestWorld['attach']>[1] = {}): Promise<AttachedDevice> {
    const merchantId = (await this.platform.identity.device(`dev:${kind}:${name}`)) === null ? await this.ensureMerchant(owner, kind === 'phone-accounting' ? 'csp' : 'merchant') : undefined;
    return this.attach(await this.enrol.merchantDevice(merchantId ?? (`mer:${owner}` as const), kind, name), options);
  }

  private async ensureMerchant(name: string, kind: 'merchant' | 'csp') {
    const id = kind === 'merchant' ? (`mer:${name}` as const) : (`csp:${name}` as const);
    const existing = await this.platform.identity.signingKey(id, this.clock.now());
    return existing.usable ? id : this.enrol.merchant(name, kind);
  }

  async close(): Promise<void> {
    const deviceIds = this.devices.map((device) => device.credentials.deviceId as DeviceId);
    for (const device of this.devices.splice(0)) await device.runtime.close();
    if (!this.usesEmbeddedBroker) await clearRetainedStatuses(this.platform.mqttUrl, deviceIds);
    await this.platform.close();
    await this.dropDatabase();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Leaves an external broker as found: no retained status of this world's devices (see purge-retained.mjs). */
async function clearRetainedStatuses(url: string, deviceIds: readonly DeviceId[]): Promise<void> {
  if (deviceIds.length === 0) return;
  const username = process.env['TESSERA_TEST_MQTT_USERNAME'];
  const password = process.env['TESSERA_TEST_MQTT_PASSWORD'];
  const client = await mqtt.connectAsync(url, { clean: true, reconnectPeriod: 0, ...(username === undefined ? {} : { username, password }) });
  for (const deviceId of deviceIds) await client.publishAsync(statusTopic(deviceId), '', { qos: 1, retain: true });
  await client.endAsync();
}

export { ManualClock };
