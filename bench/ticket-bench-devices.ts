import { systemClock } from '../src/common/clock.js';
import { credentialsFromJson } from '../src/devices/credentials.js';
import { MqttProximityLink } from '../src/devices/link/mqtt-proximity-link.js';
import { attachDevice } from '../src/devices/runtime/attach-device.js';
import type { TerminalModule } from '../src/devices/modules/terminal-module.js';
import type { DeviceRuntime } from '../src/devices/runtime/device-runtime.js';
import { TICKET_GATE_MODULE, type TicketGate } from '../src/plugins/ticket/terminal/gate/ticket-gate.module.js';
import { TICKET_WALLET_MODULE, type TicketWallet } from '../src/plugins/ticket/terminal/wallet/ticket-wallet.module.js';
import { TicketPlugin } from '../src/plugins/ticket/ticket.plugin.js';
import { NodeCryptoBackend } from '../src/protocol/crypto/node-backend.js';
import type { DeviceId } from '../src/protocol/ids.js';

/** The phones and gates of the ticket bench, and the loops they run: in the bench's child process or in the platform's. */

const MAX_SKEW_MS = 300_000;

export type CredentialsJson = Parameters<typeof credentialsFromJson>[0];

export interface TicketDeviceJob {
  readonly users: readonly CredentialsJson[];
  readonly gates: readonly CredentialsJson[];
  readonly mqttUrl: string;
  readonly issuerId: string;
}

export interface PurchaseJob {
  readonly ticketCode: string;
  readonly date: string;
  readonly purchases: number;
  readonly budgetMs: number;
}

/** Latencies in µs; seconds is the wall time of the loop (throughput = cycles over seconds). */
export interface PurchaseResult {
  readonly cycleUs: number[];
  readonly purchaseUs: number[];
  readonly seconds: number;
}

export interface ExaminationJob {
  readonly ticketCode: string;
  readonly examinations: number;
  readonly budgetMs: number;
}

export interface ExaminationResult {
  readonly sequentialUs: number[];
  readonly concurrentUs: number[];
  readonly concurrentSeconds: number;
}

interface Device<M> {
  readonly deviceId: DeviceId;
  readonly runtime: DeviceRuntime;
  readonly module: M;
}

export class TicketBenchDevices {
  private readonly tickets = new Map<Device<TicketWallet>, string>();

  private constructor(
    private readonly job: TicketDeviceJob,
    private readonly users: readonly Device<TicketWallet>[],
    private readonly gates: readonly Device<TicketGate>[],
  ) {}

  static async attach(job: TicketDeviceJob): Promise<TicketBenchDevices> {
    // The terminal modules only: nothing of the plugin's SP side runs here.
    const modules = TicketPlugin.init({}).descriptor.deviceModules ?? [];
    const attach = async <M extends TerminalModule>(json: CredentialsJson, name: string): Promise<Device<M>> => {
      const credentials = credentialsFromJson(json);
      const { runtime } = await attachDevice(credentials, {
        crypto: new NodeCryptoBackend(),
        clock: systemClock,
        maxSkewMs: MAX_SKEW_MS,
        mqttUrl: job.mqttUrl,
        tickIntervalMs: 0,
        modules,
        proximity: (link) => new MqttProximityLink(link, credentials.deviceId as DeviceId),
      });
      return { deviceId: runtime.deviceId, runtime, module: runtime.module<M>(name) };
    };
    const users: Device<TicketWallet>[] = [];
    for (const json of job.users) users.push(await attach<TicketWallet>(json, TICKET_WALLET_MODULE));
    const gates: Device<TicketGate>[] = [];
    for (const json of job.gates) gates.push(await attach<TicketGate>(json, TICKET_GATE_MODULE));
    return new TicketBenchDevices(job, users, gates);
  }

  /** Orders and buys one ticket of the code; resolves with its ticket ID. */
  async buy(user: Device<TicketWallet>, ticketCode: string, date: string): Promise<string> {
    const order = await user.module.ordering.order({ issuer: this.job.issuerId, ticketCode, date, count: 1 });
    if (order.offerNumber === null) throw new Error(`order of ${ticketCode}: ${order.responseCode}`);
    const purchase = await user.module.purchasing.purchase({ offerNumber: order.offerNumber, paymentServiceCode: 'visa' });
    if (purchase.outcome !== 'issued') throw new Error(`purchase of ${ticketCode}: ${purchase.responseCode}`);
    return purchase.ticketIds[0] as string;
  }

  /** Every user orders and buys in a loop (one purchase each first, untimed), spontaneous clearing checked. */
  async purchases(job: PurchaseJob): Promise<PurchaseResult> {
    for (const user of this.users) await this.buy(user, job.ticketCode, job.date);
    const cycleUs: number[] = [];
    const purchaseUs: number[] = [];
    let started = 0;
    const begun = performance.now();
    const deadline = begun + job.budgetMs;
    await Promise.all(
      this.users.map(async (user) => {
        while (started < job.purchases && performance.now() < deadline) {
          started += 1;
          const cycleStarted = performance.now();
          const order = await user.module.ordering.order({ issuer: this.job.issuerId, ticketCode: job.ticketCode, date: job.date, count: 1 });
          if (order.offerNumber === null) throw new Error(`order: ${order.responseCode}`);
          const purchaseStarted = performance.now();
          const purchase = await user.module.purchasing.purchase({ offerNumber: order.offerNumber, paymentServiceCode: 'visa' });
          if (purchase.outcome !== 'issued' || purchase.clearing !== 'spontaneous') throw new Error(`purchase: ${JSON.stringify(purchase)}`);
          const ended = performance.now();
          purchaseUs.push((ended - purchaseStarted) * 1000);
          cycleUs.push((ended - cycleStarted) * 1000);
        }
      }),
    );
    return { cycleUs, purchaseUs, seconds: (performance.now() - begun) / 1000 };
  }

  /** Each user buys and registers one ticket of the code (the gates' setup needs its management information to exist). */
  async prepareExaminations(ticketCode: string, date: string): Promise<void> {
    for (const user of this.users) {
      const ticketId = await this.buy(user, ticketCode, date);
      await user.module.registering.register(ticketId);
      this.tickets.set(user, ticketId);
    }
  }

  /** Gate setup, then presentations one at a time, then every user presenting at once. */
  async examinations(job: ExaminationJob): Promise<ExaminationResult> {
    for (const gate of this.gates) {
      const outcome = await gate.module.setup(job.ticketCode);
      if (outcome.outcome !== 'set-up') throw new Error(`gate setup of ${job.ticketCode}: ${outcome.reason}`);
    }
    const { users, gates } = this;
    const present = async (user: Device<TicketWallet>, gate: Device<TicketGate>): Promise<number> => {
      const started = performance.now();
      const outcome = await user.module.presenting.present(this.tickets.get(user) as string, gate.deviceId);
      if (outcome.outcome !== 'examined') throw new Error(`examination at ${gate.deviceId}: ${JSON.stringify(outcome)}`);
      return (performance.now() - started) * 1000;
    };
    const userAt = (index: number) => users[index % users.length] as Device<TicketWallet>;
    const gateAt = (index: number) => gates[index % gates.length] as Device<TicketGate>;
    for (let warm = 0; warm < 10; warm += 1) await present(userAt(warm), gateAt(0));
    const sequentialUs: number[] = [];
    const deadline = performance.now() + job.budgetMs / 2;
    for (let index = 0; index < job.examinations / 2 && performance.now() < deadline; index += 1) sequentialUs.push(await present(userAt(index), gateAt(index)));
    const concurrentUs: number[] = [];
    const perUser = Math.ceil(job.examinations / 2 / users.length);
    const started = performance.now();
    await Promise.all(
      users.map(async (user, userIndex) => {
        for (let index = 0; index < perUser && performance.now() < deadline + job.budgetMs / 2; index += 1) concurrentUs.push(await present(user, gateAt(userIndex)));
      }),
    );
    return { sequentialUs, concurrentUs, concurrentSeconds: (performance.now() - started) / 1000 };
  }

  async close(): Promise<void> {
    for (const device of [...this.users, ...this.gates]) await device.runtime.close();
  }
}
