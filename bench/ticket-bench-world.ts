import { systemClock } from '../src/common/clock.js';
import { MqttProximityLink } from '../src/devices/link/mqtt-proximity-link.js';
import { attachDevice } from '../src/devices/runtime/attach-device.js';
import type { DeviceRuntime } from '../src/devices/runtime/device-runtime.js';
import { Enrolment } from '../src/platform/enrolment.js';
import type { CatalogueEvent } from '../src/plugins/ticket/issuer/issuer-catalogue.js';
import { REFERENCE_TICKET_ISSUER_ID } from '../src/plugins/ticket/issuer/reference-ticket-issuing-system.js';
import { TicketMerchantList } from '../src/plugins/ticket/setup/merchant-list.js';
import { TICKET_GATE_MODULE, type TicketGate } from '../src/plugins/ticket/terminal/gate/ticket-gate.module.js';
import { TICKET_WALLET_MODULE, type TicketWallet } from '../src/plugins/ticket/terminal/wallet/ticket-wallet.module.js';
import { TicketPlugin } from '../src/plugins/ticket/ticket.plugin.js';
import { NodeCryptoBackend } from '../src/protocol/crypto/node-backend.js';
import type { DeviceId, MerchantId } from '../src/protocol/ids.js';
import { startBenchPlatform, type BenchPlatform } from './bench-platform.js';

/** Events only the benches sell: a coupon book with enough coupons to examine one ticket many times, and a large hall. */
export const BENCH_CATALOGUE: readonly CatalogueEvent[] = [
  { ticketCode: 'bench-coupons', title: 'Bench coupon book', date: '2030-01-01', location: 'Bench line', templateCode: 'coupon.book-v1', sponsor: 'Bench', seatClass: null, unitPrice: { amount: 100, currency: 'EUR' }, transferable: false, coupons: 1000, seats: null, capacity: 1000, ticketLimit: 1000 },
  { ticketCode: 'bench-hall', title: 'Bench hall', date: '2030-01-02', location: 'Bench hall', templateCode: 'admission.single-v1', sponsor: 'Bench', seatClass: null, unitPrice: { amount: 2500, currency: 'EUR' }, transferable: true, coupons: null, seats: null, capacity: 1_000_000, ticketLimit: 1_000_000 },
];

export interface BenchDevice<M> {
  readonly deviceId: DeviceId;
  readonly runtime: DeviceRuntime;
  readonly module: M;
}

/**
 * A platform with the ticket plugin, its reference ticket issuing system and the reference TPS, as `npm start` runs
 * them, selling the bench catalogue; every customer is charged at once (spontaneous clearing: the full purchase path).
 * Devices attach over the embedded broker with the MQTT proximity relay.
 */
export class TicketBenchWorld {
  private readonly runtimes: DeviceRuntime[] = [];
  private readonly enrol: Enrolment;

  private constructor(readonly bench: BenchPlatform) {
    this.enrol = new Enrolment(bench.platform);
  }

  static async start(name: string): Promise<TicketBenchWorld> {
    const plugin = TicketPlugin.init({
      clearingBatchIntervalMs: 0,
      referenceIssuer: { catalogue: BENCH_CATALOGUE, policy: { trustedAfterPurchases: Number.MAX_SAFE_INTEGER, returningCustomerDiscountPercent: 0 } },
      cards: { defaultCreditLimit: 1_000_000_000 },
    });
    return new TicketBenchWorld(await startBenchPlatform(name, { plugins: [plugin], idleEvictMs: 600_000 }));
  }

  get issuerId(): string {
    return REFERENCE_TICKET_ISSUER_ID;
  }

  async user(name: string): Promise<BenchDevice<TicketWallet>> {
    const runtime = await this.attach(await this.enrol.user(name));
    return { deviceId: runtime.deviceId, runtime, module: runtime.module<TicketWallet>(TICKET_WALLET_MODULE) };
  }

  async gate(merchant: MerchantId, name: string): Promise<BenchDevice<TicketGate>> {
    const runtime = await this.attach(await this.enrol.merchantDevice(merchant, 'gate', name));
    return { deviceId: runtime.deviceId, runtime, module: runtime.module<TicketGate>(TICKET_GATE_MODULE) };
  }

  merchant(name: string): Promise<MerchantId> {
    return this.enrol.merchant(name) as Promise<MerchantId>;
  }

  /** Puts the merchant on the ticket code's merchant list and runs the gate's ticket setup. */
  async setUpGate(gate: BenchDevice<TicketGate>, merchant: MerchantId, ticketCode: string): Promise<void> {
    await new TicketMerchantList(this.bench.platform.dataSource, systemClock).add({ ticketCode, merchantId: merchant, gateId: null });
    const outcome = await gate.module.setup(ticketCode);
    if (outcome.outcome !== 'set-up') throw new Error(`gate setup of ${ticketCode}: ${outcome.reason}`);
  }

  /** Orders and buys one ticket of the code; resolves with its ticket ID. */
  async buy(user: BenchDevice<TicketWallet>, ticketCode: string, date: string): Promise<string> {
    const order = await user.module.ordering.order({ issuer: REFERENCE_TICKET_ISSUER_ID, ticketCode, date, count: 1 });
    if (order.offerNumber === null) throw new Error(`order of ${ticketCode}: ${order.responseCode}`);
    const purchase = await user.module.purchasing.purchase({ offerNumber: order.offerNumber, paymentServiceCode: 'visa' });
    if (purchase.outcome !== 'issued') throw new Error(`purchase of ${ticketCode}: ${purchase.responseCode}`);
    return purchase.ticketIds[0] as string;
  }

  async close(): Promise<void> {
    for (const runtime of this.runtimes.splice(0)) await runtime.close();
    await this.bench.close();
  }

  private async attach(credentials: Awaited<ReturnType<Enrolment['user']>>): Promise<DeviceRuntime> {
    const { platform } = this.bench;
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
