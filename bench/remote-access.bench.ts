import { systemClock } from '../src/common/clock.js';
import type { DeviceCredentials } from '../src/devices/credentials.js';
import { attachDevice } from '../src/devices/runtime/attach-device.js';
import type { DeviceRuntime } from '../src/devices/runtime/device-runtime.js';
import { Enrolment } from '../src/platform/enrolment.js';
import { NodeCryptoBackend } from '../src/protocol/crypto/node-backend.js';
import { measureAsync, percentile, printTable, type BenchModule, type Budget, type Measurement } from './bench-kit.js';
import { startBenchPlatform } from './bench-platform.js';

/** The target for one remote access round trip on loopback, at the 99th percentile. */
const P99_TARGET_MS = 5;
/** The headline figure: the mobile round trip, one at a time. */
const SEQUENTIAL_BUDGET: Budget = { maxOps: 500, maxMs: 15_000, warmupOps: 20 };
/** The other request type (5700 through the merchant processor), shorter. */
const GATE_BUDGET: Budget = { maxOps: 500, maxMs: 5_000, warmupOps: 20 };
const IN_FLIGHT = 8;
const CONCURRENT_BUDGET: Budget = { maxOps: 1_000, maxMs: 5_000, warmupOps: 2 * IN_FLIGHT };
/** Round trips of the instrumented pass that splits the time between cryptography and the rest. */
const SPLIT_BUDGET: Budget = { maxOps: 200, maxMs: 5_000, warmupOps: 0 };
const DOCUMENT_BYTES = 256;
const MAX_SKEW_MS = 300_000;

async function attach(credentials: DeviceCredentials, mqttUrl: string): Promise<DeviceRuntime> {
  const { runtime } = await attachDevice(credentials, { crypto: new NodeCryptoBackend(), clock: systemClock, maxSkewMs: MAX_SKEW_MS, mqttUrl });
  return runtime;
}

/** One round trip, checked: a bench that timed refusals or empty answers would flatter the platform. */
async function roundTrip(runtime: DeviceRuntime, address: string): Promise<void> {
  const entry = await runtime.remoteAccess(address, 5_000);
  if (!entry.found || entry.contentType !== 'text/plain') throw new Error(`remote access to ${address} answered ${JSON.stringify(entry).slice(0, 120)}`);
}

/**
 * `inFlight` workers, each running round trips back to back, until `maxOps` timed calls or `maxMs`. Per-call latency
 * as usual; ops/s is completed calls over wall time (the throughput), not calls over summed latency.
 */
async function measureConcurrent(name: string, inFlight: number, op: () => Promise<void>, budget: Budget): Promise<Measurement> {
  await Promise.all(
    Array.from({ length: inFlight }, async (_, worker) => {
      for (let i = worker; i < budget.warmupOps; i += inFlight) await op();
    }),
  );
  const samplesUs: number[] = [];
  let started = 0;
  const begin = process.hrtime.bigint();
  const deadline = begin + BigInt(budget.maxMs) * 1_000_000n;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (started < budget.maxOps && process.hrtime.bigint() < deadline) {
        started += 1;
        const start = process.hrtime.bigint();
        await op();
        samplesUs.push(Number(process.hrtime.bigint() - start) / 1000);
      }
    }),
  );
  const wallUs = Number(process.hrtime.bigint() - begin) / 1000;
  return {
    name,
    ops: samplesUs.length,
    opsPerSec: samplesUs.length / (wallUs / 1e6),
    meanUs: samplesUs.reduce((sum, value) => sum + value, 0) / samplesUs.length,
    medianUs: percentile(samplesUs, 0.5),
    p99Us: percentile(samplesUs, 0.99),
  };
}

interface CryptoTally {
  calls: number;
  ns: number;
  readonly byMethod: Map<string, { calls: number; ns: number }>;
}

/**
 * Times every NodeCryptoBackend call in this process (the platform's and both devices') while `during` runs, by
 * wrapping the prototype's methods; restores them afterwards. Cryptography is synchronous, so its time is exact (a
 * method calling another is counted once, as the outer call).
 */
async function tallyCrypto(during: () => Promise<void>): Promise<CryptoTally> {
  const tally: CryptoTally = { calls: 0, ns: 0, byMethod: new Map() };
  const prototype = NodeCryptoBackend.prototype as unknown as Record<string, unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  let depth = 0;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const original = prototype[name];
    if (name === 'constructor' || typeof original !== 'function') continue;
    const method = original as (...args: unknown[]) => unknown;
    originals.set(name, method);
    prototype[name] = function (this: unknown, ...args: unknown[]) {
      if (depth > 0) return method.apply(this, args);
      depth += 1;
      const start = process.hrtime.bigint();
      try {
        return method.apply(this, args);
      } finally {
        const ns = Number(process.hrtime.bigint() - start);
        depth -= 1;
        tally.calls += 1;
        tally.ns += ns;
        const entry = tally.byMethod.get(name) ?? { calls: 0, ns: 0 };
        entry.calls += 1;
        entry.ns += ns;
        tally.byMethod.set(name, entry);
      }
    };
  }
  try {
    await during();
  } finally {
    for (const [name, method] of originals) prototype[name] = method;
  }
  return tally;
}

const ms = (us: number): string => (us / 1000).toFixed(2);

function targetLine(row: Measurement): string {
  const verdict = row.p99Us / 1000 <= P99_TARGET_MS ? 'within target' : 'ABOVE TARGET';
  return `  ${row.name.padEnd(34)} median ${ms(row.medianUs).padStart(6)} ms, p99 ${ms(row.p99Us).padStart(6)} ms (${verdict}: p99 ≤ ${P99_TARGET_MS} ms)`;
}

/** Where a round trip's time goes: the cryptography of all three parties, per call, against the whole. */
function splitLines(tally: CryptoTally, split: Measurement): string[] {
  const perTripUs = tally.ns / 1000 / split.ops;
  const methods = [...tally.byMethod.entries()].sort((a, b) => b[1].ns - a[1].ns);
  return [
    `cost split (instrumented pass of ${split.ops} mobile round trips; the device's and the platform's cryptography both run in this process):`,
    `  cryptography ${perTripUs.toFixed(0)} µs per round trip in ${(tally.calls / split.ops).toFixed(1)} calls: ${((perTripUs / split.meanUs) * 100).toFixed(0)}% of the mean ${split.meanUs.toFixed(0)} µs; the rest is MQTT, CBOR, validation, SQLite, actors and waiting`,
    `  per call (calls per round trip × mean µs): ${methods.map(([name, entry]) => `${name} ${(entry.calls / split.ops).toFixed(0)}×${(entry.ns / 1000 / entry.calls).toFixed(0)}`).join(', ')}`,
  ];
}

export const remoteAccessBench: BenchModule = {
  name: 'remote-access',
  async run() {
    const { platform, close } = await startBenchPlatform('benchra');
    const runtimes: DeviceRuntime[] = [];
    try {
      const enrol = new Enrolment(platform);
      const aliceCredentials = await enrol.user('alice');
      const merchant = await enrol.merchant('shop');
      const gateCredentials = await enrol.merchantDevice(merchant, 'gate', 'g1');
      const alice = await attach(aliceCredentials, platform.mqttUrl);
      runtimes.push(alice);
      const gate = await attach(gateCredentials, platform.mqttUrl);
      runtimes.push(gate);
      const address = `${platform.spId}/doc.txt`;
      await platform.remoteData.put(address, 'text/plain', new TextEncoder().encode('x'.repeat(DOCUMENT_BYTES)));

      const mobile = await measureAsync('mobile (5600/5601), sequential', () => roundTrip(alice, address), SEQUENTIAL_BUDGET);
      const gateRow = await measureAsync('gate (5700/5701), sequential', () => roundTrip(gate, address), GATE_BUDGET);
      const concurrent = await measureConcurrent(`mobile, ${IN_FLIGHT} in flight`, IN_FLIGHT, () => roundTrip(alice, address), CONCURRENT_BUDGET);
      let split: Measurement | undefined;
      const tally = await tallyCrypto(async () => {
        split = await measureAsync('mobile, crypto instrumented', () => roundTrip(alice, address), SPLIT_BUDGET);
      });

      printTable(`remote access round trip over MQTT on loopback (embedded broker, SQLite, node crypto; ${DOCUMENT_BYTES}-byte document; µs)`, [mobile, gateRow, concurrent, ...(split === undefined ? [] : [split])]);
      console.log('target (one round trip at a time):');
      console.log(targetLine(mobile));
      console.log(targetLine(gateRow));
      console.log(`  ${concurrent.name.padEnd(34)} ${concurrent.opsPerSec.toFixed(0)} round trips/s, median latency ${ms(concurrent.medianUs)} ms (queueing included; no target)`);
      if (split !== undefined && split.ops > 0) console.log(splitLines(tally, split).join('\n'));
    } finally {
      for (const runtime of runtimes) await runtime.close();
      await close();
    }
  },
};
