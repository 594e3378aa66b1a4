import type { MerchantId } from '../src/protocol/ids.js';
import type { TicketGate } from '../src/plugins/ticket/terminal/gate/ticket-gate.module.js';
import type { TicketWallet } from '../src/plugins/ticket/terminal/wallet/ticket-wallet.module.js';
import { percentile, printTable, type BenchModule } from './bench-kit.js';
import { ticketCryptoCosts } from './ticket-crypto-floor.js';
import { BENCH_CATALOGUE, TicketBenchWorld, type BenchDevice } from './ticket-bench-world.js';

const EXAMINATIONS = Number(process.env['BENCH_EXAMINATIONS'] ?? 400);
const PURCHASES = Number(process.env['BENCH_PURCHASES'] ?? 200);
const USERS = Number(process.env['BENCH_TICKET_USERS'] ?? 8);
/** Sealed messages of one order and purchase with spontaneous clearing: 5801-5804 and 5901-5909. */
const SEALED_MESSAGES = 13;
/** Signed parts made per purchase (ticket data, both ticket issuing informations, clearing information) and checked by the SP (ticket data, the issuer's issuing information). */
const PARTS_SIGNED = 4;
const PARTS_VERIFIED = 2;
const TIME_BUDGET_MS = 60_000;

const ms = (us: number): string => (us / 1000).toFixed(2);

function eventDate(ticketCode: string): string {
  const event = BENCH_CATALOGUE.find((candidate) => candidate.ticketCode === ticketCode);
  if (event === undefined) throw new Error(`no bench event ${ticketCode}`);
  return event.date;
}

/** Presentation to examination certificate [1637]-[1652], one at a time, then every user presenting at once. */
async function examinations(world: TicketBenchWorld, users: readonly BenchDevice<TicketWallet>[], gates: readonly BenchDevice<TicketGate>[], merchant: MerchantId): Promise<void> {
  const tickets = new Map<BenchDevice<TicketWallet>, string>();
  for (const user of users) {
    const ticketId = await world.buy(user, 'bench-coupons', eventDate('bench-coupons'));
    await user.module.registering.register(ticketId);
    tickets.set(user, ticketId);
  }
  // The ticket code's management information exists once the issuer has commissioned a ticket of it.
  for (const gate of gates) await world.setUpGate(gate, merchant, 'bench-coupons');
  const present = async (user: BenchDevice<TicketWallet>, gate: BenchDevice<TicketGate>): Promise<number> => {
    const started = performance.now();
    const outcome = await user.module.presenting.present(tickets.get(user) as string, gate.deviceId);
    if (outcome.outcome !== 'examined') throw new Error(`examination at ${gate.deviceId}: ${JSON.stringify(outcome)}`);
    return (performance.now() - started) * 1000;
  };
  for (let warm = 0; warm < 10; warm += 1) await present(users[warm % users.length] as BenchDevice<TicketWallet>, gates[0] as BenchDevice<TicketGate>);

  const sequential: number[] = [];
  const deadline = performance.now() + TIME_BUDGET_MS / 2;
  for (let index = 0; index < EXAMINATIONS / 2 && performance.now() < deadline; index += 1) {
    sequential.push(await present(users[index % users.length] as BenchDevice<TicketWallet>, gates[index % gates.length] as BenchDevice<TicketGate>));
  }
  const concurrent: number[] = [];
  const started = performance.now();
  const perUser = Math.ceil(EXAMINATIONS / 2 / users.length);
  await Promise.all(
    users.map(async (user, userIndex) => {
      for (let index = 0; index < perUser && performance.now() < deadline + TIME_BUDGET_MS / 2; index += 1) concurrent.push(await present(user, gates[userIndex % gates.length] as BenchDevice<TicketGate>));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`\nticket examination over the MQTT proximity relay (presentation 6701 to examination certificate 6704; ${gates.length} gates, coupon tickets)`);
  console.log(`  one at a time  ${sequential.length} examinations: median ${ms(percentile(sequential, 0.5))} ms, p99 ${ms(percentile(sequential, 0.99))} ms (target: p99 at most 10 ms)`);
  console.log(`  ${users.length} at once      ${(concurrent.length / seconds).toFixed(1)} examinations/s (${concurrent.length} in ${seconds.toFixed(1)} s): median ${ms(percentile(concurrent, 0.5))} ms, p99 ${ms(percentile(concurrent, 0.99))} ms`);
}

/** Order and purchase end to end (SP, issuing system and TPS in this process), every user buying in a loop. */
async function purchases(world: TicketBenchWorld, users: readonly BenchDevice<TicketWallet>[]): Promise<number> {
  const date = eventDate('bench-hall');
  for (const user of users) await world.buy(user, 'bench-hall', date);
  const cycle: number[] = [];
  const purchaseOnly: number[] = [];
  let done = 0;
  const started = performance.now();
  const deadline = started + TIME_BUDGET_MS;
  await Promise.all(
    users.map(async (user) => {
      while (done < PURCHASES && performance.now() < deadline) {
        done += 1;
        const cycleStarted = performance.now();
        const order = await user.module.ordering.order({ issuer: world.issuerId, ticketCode: 'bench-hall', date, count: 1 });
        if (order.offerNumber === null) throw new Error(`order: ${order.responseCode}`);
        const purchaseStarted = performance.now();
        const purchase = await user.module.purchasing.purchase({ offerNumber: order.offerNumber, paymentServiceCode: 'visa' });
        if (purchase.outcome !== 'issued' || purchase.clearing !== 'spontaneous') throw new Error(`purchase: ${JSON.stringify(purchase)}`);
        const ended = performance.now();
        purchaseOnly.push((ended - purchaseStarted) * 1000);
        cycle.push((ended - cycleStarted) * 1000);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const perSecond = cycle.length / seconds;
  console.log(`\nticket order + purchase end to end (5801-5804, 5901-5909 with spontaneous clearing; SP, reference issuing system and TPS in this process; ${users.length} users at once)`);
  console.log(`  sustained      ${perSecond.toFixed(1)} purchases/s (${cycle.length} in ${seconds.toFixed(1)} s)`);
  console.log(`  order+purchase median ${ms(percentile(cycle, 0.5))} ms, p99 ${ms(percentile(cycle, 0.99))} ms; purchase alone median ${ms(percentile(purchaseOnly, 0.5))} ms, p99 ${ms(percentile(purchaseOnly, 0.99))} ms`);
  return perSecond;
}

/**
 * Ticket examinations per second and their latency over the MQTT-relayed proximity link (the SP takes no part), and
 * ticket purchases per second end to end with their ratio to the crypto floor of what a purchase must sign, seal,
 * open and verify.
 */
export const ticketBench: BenchModule = {
  name: 'ticket',
  async run() {
    const costs = await ticketCryptoCosts();
    const world = await TicketBenchWorld.start('ticketbench');
    try {
      const users: BenchDevice<TicketWallet>[] = [];
      for (let index = 0; index < USERS; index += 1) users.push(await world.user(`bench-user-${index}`));
      const merchant = await world.merchant('bench-arena');
      const gates = [await world.gate(merchant, 'bench-gate-1'), await world.gate(merchant, 'bench-gate-2')];
      const perSecond = await purchases(world, users);
      await examinations(world, users, gates, merchant);

      const floorUs = SEALED_MESSAGES * (costs.compose.medianUs + costs.receive.medianUs) + costs.generate.medianUs + PARTS_SIGNED * costs.partSign.medianUs + PARTS_VERIFIED * costs.partVerify.medianUs;
      const floorPerSecond = 1e6 / floorUs;
      printTable('\nticket purchase: crypto floor (node backend; µs)', [costs.compose, costs.receive, costs.generate, costs.partSign, costs.partVerify]);
      console.log(`  crypto floor   ${floorPerSecond.toFixed(1)} purchases/s: ${SEALED_MESSAGES} sealed messages both ways + 1 generated ticket + ${PARTS_SIGNED} parts signed + ${PARTS_VERIFIED} verified = ${(floorUs / 1000).toFixed(2)} ms, every party in this process`);
      const ratio = perSecond / floorPerSecond;
      console.log(`  ratio          ${(ratio * 100).toFixed(1)}% of the crypto floor (${ratio >= 0.6 ? 'within' : 'BELOW'} target: at least 60%)`);
    } finally {
      await world.close();
    }
  },
};
