import { credentialsToJson } from '../src/devices/credentials.js';
import { Enrolment } from '../src/platform/enrolment.js';
import { printTable, type BenchModule, type Budget, type Measurement } from './bench-kit.js';
import { ECHO_PAYLOAD_BYTES, startEchoBroker } from './mqtt-echo.js';
import { startBenchPlatform } from './bench-platform.js';
import { tallyCrypto, tallyFromJson, type CryptoTally } from './crypto-tally.js';
import { startDeviceSide } from './remote-access-device-side.js';
import { withLoopDelay, type CredentialsJson, type LoopDelay, type Pass, type PassResult } from './remote-access-devices.js';

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

const ms = (us: number): string => (us / 1000).toFixed(2);

function targetLine(row: Measurement): string {
  const verdict = row.p99Us / 1000 <= P99_TARGET_MS ? 'within target' : 'ABOVE TARGET';
  return `  ${row.name.padEnd(34)} median ${ms(row.medianUs).padStart(6)} ms, p99 ${ms(row.p99Us).padStart(6)} ms (${verdict}: p99 ≤ ${P99_TARGET_MS} ms)`;
}

function cpuLine(row: Measurement, platform: LoopDelay, devices: LoopDelay): string {
  const perTrip = (d: LoopDelay) => (d.cpuUs / row.ops).toFixed(0);
  return `  ${row.name.padEnd(34)} platform ${perTrip(platform)} µs, devices ${perTrip(devices)} µs`;
}

function loopLine(name: string, platform: LoopDelay, devices: LoopDelay): string {
  const delay = (d: LoopDelay) => `p50 ${ms(d.p50Us)}, p99 ${ms(d.p99Us)}, max ${ms(d.maxUs)}`;
  return `  ${name.padEnd(34)} platform ${delay(platform)} ms; devices ${delay(devices)} ms`;
}

function tallyLine(side: string, tally: CryptoTally, trips: number): string {
  const methods = [...tally.byMethod.entries()].sort((a, b) => b[1].ns - a[1].ns);
  const perTripUs = tally.ns / 1000 / trips;
  return `  ${side}: ${perTripUs.toFixed(0)} µs per round trip in ${(tally.calls / trips).toFixed(1)} calls (calls × mean µs: ${methods.map(([name, entry]) => `${name} ${(entry.calls / trips).toFixed(0)}×${(entry.ns / 1000 / entry.calls).toFixed(0)}`).join(', ')})`;
}

/** Where a round trip's time goes: the cryptography of the platform and of the device, per call, against the whole. */
function splitLines(platform: CryptoTally, devices: CryptoTally, split: Measurement): string[] {
  const totalUs = (platform.ns + devices.ns) / 1000 / split.ops;
  return [
    `cost split (instrumented pass of ${split.ops} mobile round trips):`,
    `  cryptography ${totalUs.toFixed(0)} µs per round trip: ${((totalUs / split.meanUs) * 100).toFixed(0)}% of the mean ${split.meanUs.toFixed(0)} µs; the rest is MQTT, CBOR, validation, SQLite, actors and waiting`,
    tallyLine('platform', platform, split.ops),
    tallyLine('device', devices, split.ops),
  ];
}

export const remoteAccessBench: BenchModule = {
  name: 'remote-access',
  async run() {
    const { platform, close } = await startBenchPlatform('benchra');
    try {
      const enrol = new Enrolment(platform);
      const mobileCredentials = await enrol.user('alice');
      const merchant = await enrol.merchant('shop');
      const gateCredentials = await enrol.merchantDevice(merchant, 'gate', 'g1');
      const address = `${platform.spId}/doc.txt`;
      await platform.remoteData.put(address, 'text/plain', new TextEncoder().encode('x'.repeat(DOCUMENT_BYTES)));
      const devices = await startDeviceSide({
        mobile: credentialsToJson(mobileCredentials) as CredentialsJson,
        gate: credentialsToJson(gateCredentials) as CredentialsJson,
        mqttUrl: platform.mqttUrl,
        address,
      });
      try {
        const passes: Pass[] = [
          { kind: 'sequential', device: 'mobile', name: 'mobile (5600/5601), sequential', budget: SEQUENTIAL_BUDGET },
          { kind: 'sequential', device: 'gate', name: 'gate (5700/5701), sequential', budget: GATE_BUDGET },
          { kind: 'concurrent', name: `mobile, ${IN_FLIGHT} in flight`, inFlight: IN_FLIGHT, budget: CONCURRENT_BUDGET },
        ];
        const results: { result: PassResult; platformLoop: LoopDelay }[] = [];
        for (const pass of passes) {
          const { value: result, loopDelay: platformLoop } = await withLoopDelay(() => devices.run(pass));
          results.push({ result, platformLoop });
        }
        const echoBroker = await startEchoBroker();
        let echo: PassResult;
        try {
          echo = await devices.run({ kind: 'echo', name: `MQTT echo, ${ECHO_PAYLOAD_BYTES} bytes (transport floor)`, url: echoBroker.url, budget: SEQUENTIAL_BUDGET });
        } finally {
          await echoBroker.close();
        }
        let split: PassResult | undefined;
        const platformTally = await tallyCrypto(async () => {
          split = await devices.run({ kind: 'instrumented', name: 'mobile, crypto instrumented', budget: SPLIT_BUDGET });
        });

        const [mobile, gate, concurrent] = results.map(({ result }) => result.measurement);
        if (mobile === undefined || gate === undefined || concurrent === undefined) throw new Error('a pass is missing');
        printTable(
          `remote access round trip over MQTT on loopback (embedded broker, SQLite, node crypto; ${DOCUMENT_BYTES}-byte document; devices ${devices.where}; µs)`,
          [mobile, gate, concurrent, ...(split === undefined ? [] : [split.measurement]), echo.measurement],
        );
        console.log('target (one round trip at a time):');
        console.log(targetLine(mobile));
        console.log(targetLine(gate));
        console.log(
          `  transport floor: the same two processes echoing over aedes and mqtt.js (QoS 1, no crypto, no database): median ${ms(echo.measurement.medianUs)} ms, p99 ${ms(echo.measurement.p99Us)} ms`,
        );
        console.log(`  ${concurrent.name.padEnd(34)} ${concurrent.opsPerSec.toFixed(0)} round trips/s, median latency ${ms(concurrent.medianUs)} ms (queueing included; no target)`);
        console.log('event-loop delay during each pass (monitorEventLoopDelay; each figure includes its 1 ms sampling period):');
        for (const { result, platformLoop } of results) console.log(loopLine(result.measurement.name, platformLoop, result.loopDelay));
        console.log('CPU per round trip (process.cpuUsage over the pass, all threads; warm-up included):');
        for (const { result, platformLoop } of results) console.log(cpuLine(result.measurement, platformLoop, result.loopDelay));
        if (split?.tally !== undefined && split.measurement.ops > 0) console.log(splitLines(platformTally, tallyFromJson(split.tally), split.measurement).join('\n'));
      } finally {
        await devices.close();
      }
    } finally {
      await close();
    }
  },
};
