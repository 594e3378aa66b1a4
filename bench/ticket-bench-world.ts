import { systemClock } from '../src/common/clock.js';
import { credentialsToJson } from '../src/devices/credentials.js';
import { Enrolment } from '../src/platform/enrolment.js';
import type { CatalogueEvent } from '../src/plugins/ticket/issuer/issuer-catalogue.js';
import { REFERENCE_TICKET_ISSUER_ID } from '../src/plugins/ticket/issuer/reference-ticket-issuing-system.js';
import { TicketMerchantList } from '../src/plugins/ticket/setup/merchant-list.js';
import { TicketPlugin } from '../src/plugins/ticket/ticket.plugin.js';
import type { MerchantId } from '../src/protocol/ids.js';
import { startBenchPlatform, type BenchPlatform } from './bench-platform.js';
import type { CredentialsJson } from './ticket-bench-devices.js';

/** Events only the benches sell: a coupon book with enough coupons to examine one ticket many times, and a large hall. */
export const BENCH_CATALOGUE: readonly CatalogueEvent[] = [
  { ticketCode: 'bench-coupons', title: 'Bench coupon book', date: '2030-01-01', location: 'Bench line', templateCode: 'coupon.book-v1', sponsor: 'Bench', seatClass: null, unitPrice: { amount: 100, currency: 'EUR' }, transferable: false, coupons: 1000, seats: null, capacity: 1000, ticketLimit: 1000 },
  { ticketCode: 'bench-hall', title: 'Bench hall', date: '2030-01-02', location: 'Bench hall', templateCode: 'admission.single-v1', sponsor: 'Bench', seatClass: null, unitPrice: { amount: 2500, currency: 'EUR' }, transferable: true, coupons: null, seats: null, capacity: 1_000_000, ticketLimit: 1_000_000 },
];

/**
 * A platform with the ticket plugin, its reference ticket issuing system and the reference TPS, as `npm start` runs
 * them, selling the bench catalogue; every customer is charged at once (spontaneous clearing: the full purchase path).
 * The phones and gates are enrolled here and attached elsewhere (ticket-device-side.ts), over the embedded broker
 * with the MQTT proximity relay.
 */
export class TicketBenchWorld {
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

  get mqttUrl(): string {
    return this.bench.platform.mqttUrl;
  }

  /** A user with a phone: its credentials, for the device side. */
  async user(name: string): Promise<CredentialsJson> {
    return credentialsToJson(await this.enrol.user(name)) as CredentialsJson;
  }

  async gate(merchant: MerchantId, name: string): Promise<CredentialsJson> {
    return credentialsToJson(await this.enrol.merchantDevice(merchant, 'gate', name)) as CredentialsJson;
  }

  merchant(name: string): Promise<MerchantId> {
    return this.enrol.merchant(name) as Promise<MerchantId>;
  }

  /** Puts the merchant on the ticket code's merchant list (its gates' ticket setup needs it). */
  async addToMerchantList(merchant: MerchantId, ticketCode: string): Promise<void> {
    await new TicketMerchantList(this.bench.platform.dataSource, systemClock).add({ ticketCode, merchantId: merchant, gateId: null });
  }

  close(): Promise<void> {
    return this.bench.close();
  }
}
