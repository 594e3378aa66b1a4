import { percentile, printTable, profiled, type BenchModule } from './bench-kit.js';
import { ticketCryptoCosts } from './ticket-crypto-floor.js';
import type { ExaminationResult, PurchaseResult } from './ticket-bench-devices.js';
import { BENCH_CATALOGUE, TicketBenchWorld } from './ticket-bench-world.js';
import { TicketDeviceSide } from './ticket-device-side.js';

const EXAMINATIONS = Number(process.env['BENCH_EXAMINATIONS'] ?? 400);
const PURCHASES = Number(process.env['BENCH_PURCHASES'] ?? 200);
const USERS = Number(process.env['BENCH_TICKET_USERS'] ?? 8);
/** `BENCH_CPU_PROFILE=path.cpuprofile`: the platform process's CPU profile of the timed purchases alone. */
const CPU_PROFILE = process.env['BENCH_CPU_PROFILE'] ?? '';

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

function printPurchases(result: PurchaseResult, users: number, where: string): number {
  const perSecond = result.cycleUs.length / result.seconds;
  console.log(`\nticket order + purchase end to end (5801-5804, 5901-5909 with spontaneous clearing; SP, reference issuing system and TPS in the platform's process, phones ${where}; ${users} users at once)`);
  console.log(`  sustained      ${perSecond.toFixed(1)} purchases/s (${result.cycleUs.length} in ${result.seconds.toFixed(1)} s)`);
  console.log(`  order+purchase median ${ms(percentile(result.cycleUs, 0.5))} ms, p99 ${ms(percentile(result.cycleUs, 0.99))} ms; purchase alone median ${ms(percentile(result.purchaseUs, 0.5))} ms, p99 ${ms(percentile(result.purchaseUs, 0.99))} ms`);
  return perSecond;
}

function printExaminations(result: ExaminationResult, users: number, gates: number, where: string): void {
  const { sequentialUs, concurrentUs, concurrentSeconds } = result;
  console.log(`\nticket examination over the MQTT proximity relay (presentation 6701 to examination certificate 6704; ${gates} gates, coupon tickets; phones and gates ${where})`);
  console.log(`  one at a time  ${sequentialUs.length} examinations: median ${ms(percentile(sequentialUs, 0.5))} ms, p99 ${ms(percentile(sequentialUs, 0.99))} ms (target: p99 at most 10 ms)`);
  console.log(`  ${users} at once      ${(concurrentUs.length / concurrentSeconds).toFixed(1)} examinations/s (${concurrentUs.length} in ${concurrentSeconds.toFixed(1)} s): median ${ms(percentile(concurrentUs, 0.5))} ms, p99 ${ms(percentile(concurrentUs, 0.99))} ms`);
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
      const users = [];
      for (let index = 0; index < USERS; index += 1) users.push(await world.user(`bench-user-${index}`));
      const merchant = await world.merchant('bench-arena');
      const gates = [await world.gate(merchant, 'bench-gate-1'), await world.gate(merchant, 'bench-gate-2')];
      const devices = await TicketDeviceSide.start({ users, gates, mqttUrl: world.mqttUrl, issuerId: world.issuerId });
      let perSecond: number;
      try {
        perSecond = printPurchases(await profiled(CPU_PROFILE, () => devices.purchases({ ticketCode: 'bench-hall', date: eventDate('bench-hall'), purchases: PURCHASES, budgetMs: TIME_BUDGET_MS })), users.length, devices.where);
        await devices.prepareExaminations('bench-coupons', eventDate('bench-coupons'));
        // The ticket code's management information exists once the issuer has commissioned a ticket of it.
        await world.addToMerchantList(merchant, 'bench-coupons');
        printExaminations(await devices.examinations({ ticketCode: 'bench-coupons', examinations: EXAMINATIONS, budgetMs: TIME_BUDGET_MS }), users.length, gates.length, devices.where);
      } finally {
        await devices.close();
      }

      const floorUs = SEALED_MESSAGES * (costs.compose.medianUs + costs.receive.medianUs) + costs.generate.medianUs + PARTS_SIGNED * costs.partSign.medianUs + PARTS_VERIFIED * costs.partVerify.medianUs;
      const floorPerSecond = 1e6 / floorUs;
      printTable('\nticket purchase: crypto floor (node backend; µs)', [costs.compose, costs.receive, costs.generate, costs.partSign, costs.partVerify]);
      console.log(`  crypto floor   ${floorPerSecond.toFixed(1)} purchases/s: ${SEALED_MESSAGES} sealed messages both ways + 1 generated ticket + ${PARTS_SIGNED} parts signed + ${PARTS_VERIFIED} verified = ${(floorUs / 1000).toFixed(2)} ms, on one core`);
      const ratio = perSecond / floorPerSecond;
      console.log(`  ratio          ${(ratio * 100).toFixed(1)}% of the crypto floor (${ratio >= 0.6 ? 'within' : 'BELOW'} target: at least 60%)`);
    } finally {
      await world.close();
    }
  },
};
