import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../common/clock.js';
import { loadConfig } from '../config/config.loader.js';
import type { PlatformLogger } from '../core/audit-log.js';
import type { DeviceCredentials } from '../devices/credentials.js';
import { MqttProximityLink } from '../devices/link/mqtt-proximity-link.js';
import { attachDevice } from '../devices/runtime/attach-device.js';
import type { DeviceRuntime } from '../devices/runtime/device-runtime.js';
import { TpsDatabase } from '../external/transaction-processing/ledger/tps-database.js';
import { TpsReadModel } from '../external/transaction-processing/tps-read-model.js';
import { Enrolment } from '../platform/enrolment.js';
import { Platform } from '../platform/platform.js';
import { REFERENCE_TICKET_ISSUER_ID } from '../plugins/ticket/issuer/reference-ticket-issuing-system.js';
import type { RunningTicketIssuer } from '../plugins/ticket/issuer/start-reference-ticket-issuer.js';
import { TicketMerchantList } from '../plugins/ticket/setup/merchant-list.js';
import { TICKET_GATE_MODULE, type TicketGate } from '../plugins/ticket/terminal/gate/ticket-gate.module.js';
import { TICKET_WALLET_MODULE, type TicketWallet } from '../plugins/ticket/terminal/wallet/ticket-wallet.module.js';
import { TicketPlugin } from '../plugins/ticket/ticket.plugin.js';
import { NodeCryptoBackend } from '../protocol/crypto/node-backend.js';
import type { DeviceId, MerchantId } from '../protocol/ids.js';

const silent: PlatformLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
/** `TESSERA_DEMO_VERBOSE=1`: the platform's warnings and errors on stderr (a demo that stalls says why). */
const verbose: PlatformLogger = { log: () => undefined, warn: (message) => console.error(`  [platform] ${message}`), error: (message) => console.error(`  [platform] ${message}`) };

export interface DemoDevice<M> {
  readonly deviceId: DeviceId;
  readonly runtime: DeviceRuntime;
  readonly module: M;
}

/**
 * A service providing system of its own for the demo: SQLite in a temp folder (removed on close), the embedded MQTT
 * broker and the HTTP-free platform on ephemeral loopback ports, the ticket plugin with its reference ticket issuing
 * system and the reference transaction processing system. Devices attach over MQTT as separate runtimes would, with
 * the proximity link (the spec's infrared) relayed over MQTT.
 */
export class DemoPlatform {
  private readonly runtimes: DeviceRuntime[] = [];
  private readonly enrol: Enrolment;

  private constructor(
    readonly platform: Platform,
    readonly dataDir: string,
  ) {
    this.enrol = new Enrolment(platform);
  }

  static async start(): Promise<DemoPlatform> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-demo-'));
    try {
      const config = loadConfig({
        env: {},
        overrides: {
          sp: { name: 'tessera-demo' },
          dataDir,
          http: { host: '127.0.0.1', port: 0 },
          mqtt: { url: null, username: null, password: null, clientId: 'tessera-demo', embedded: { host: '127.0.0.1', port: 0 } },
          database: { url: null, sqliteFile: 'tessera.sqlite' },
          demo: { seed: false },
        },
      });
      // Every customer is charged at once (spontaneous clearing), so the refund is immediate too.
      const plugin = TicketPlugin.init({ clearingBatchIntervalMs: 0, referenceIssuer: { policy: { trustedAfterPurchases: Number.MAX_SAFE_INTEGER } } });
      const platform = await Platform.start(config, { logger: process.env['TESSERA_DEMO_VERBOSE'] === '1' ? verbose : silent, plugins: [plugin], clock: systemClock });
      const demo = new DemoPlatform(platform, dataDir);
      try {
        await platform.resume();
      } catch (error) {
        await demo.close();
        throw error;
      }
      return demo;
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The reference ticket issuing system (Acme Tickets) and its staff. */
  get issuer(): RunningTicketIssuer {
    const issuer = this.platform.referenceIssuers.find((running) => running.partyId === REFERENCE_TICKET_ISSUER_ID);
    if (issuer === undefined) throw new Error('the reference ticket issuing system is not running');
    return issuer as RunningTicketIssuer;
  }

  async user(name: string): Promise<DemoDevice<TicketWallet>> {
    const runtime = await this.attach(await this.enrol.user(name));
    return { deviceId: runtime.deviceId, runtime, module: runtime.module<TicketWallet>(TICKET_WALLET_MODULE) };
  }

  async merchant(name: string): Promise<MerchantId> {
    return (await this.enrol.merchant(name)) as MerchantId;
  }

  async gate(merchant: MerchantId, name: string): Promise<DemoDevice<TicketGate>> {
    const runtime = await this.attach(await this.enrol.merchantDevice(merchant, 'gate', name));
    return { deviceId: runtime.deviceId, runtime, module: runtime.module<TicketGate>(TICKET_GATE_MODULE) };
  }

  /** The operator puts the merchant on the merchant list 5302 of the ticket code (all its gates). */
  addToMerchantList(ticketCode: string, merchantId: MerchantId): Promise<void> {
    return new TicketMerchantList(this.platform.dataSource, systemClock).add({ ticketCode, merchantId, gateId: null });
  }

  /** Reads the reference TPS's ledger from its own database. */
  async withLedger<T>(read: (ledger: TpsReadModel) => Promise<T>): Promise<T> {
    const db = await TpsDatabase.open({ type: 'sqlite', database: join(this.dataDir, 'tps.sqlite') });
    try {
      return await read(new TpsReadModel(db));
    } finally {
      await db.close();
    }
  }

  async close(): Promise<void> {
    try {
      for (const runtime of this.runtimes.splice(0)) await runtime.close();
      await this.platform.close();
    } finally {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }

  private async attach(credentials: DeviceCredentials): Promise<DeviceRuntime> {
    const { platform } = this;
    const { runtime } = await attachDevice(credentials, {
      crypto: new NodeCryptoBackend(),
      clock: systemClock,
      maxSkewMs: platform.config.protocol.maxSkewMs,
      mqttUrl: platform.mqttUrl,
      tickIntervalMs: 0,
      modules: platform.plugins.flatMap((plugin) => plugin.descriptor.deviceModules ?? []),
      proximity: (link) => new MqttProximityLink(link, credentials.deviceId as DeviceId),
    });
    this.runtimes.push(runtime);
    return runtime;
  }
}
