import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/common/clock.js';
import { loadConfig } from '../src/config/config.loader.js';
import type { PlatformLogger } from '../src/core/audit-log.js';
import { DATA_UPDATE_MESSAGES } from '../src/core/data-update/data-update.messages.js';
import { credentialsToJson } from '../src/devices/credentials.js';
import { Enrolment } from '../src/platform/enrolment.js';
import { Platform } from '../src/platform/platform.js';
import { MessageCodec } from '../src/protocol/codec.js';
import { generatePrincipalKeys } from '../src/protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../src/protocol/crypto/node-backend.js';
import { Envelope } from '../src/protocol/envelope.js';
import type { PrincipalId } from '../src/protocol/ids.js';
import { MessageRegistry } from '../src/protocol/message-registry.js';
import { ForkedWorker } from './forked-worker.js';
import { measure, measureAsync, percentile, printTable, profiled, type BenchModule, type Measurement } from './bench-kit.js';
import type { FromFleet, ToFleet } from './data-update-terminal-process.js';
import type { CredentialsJson, FleetJob, RunOrder, RunResult } from './data-update-terminals.js';

const numberFrom = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 1) throw new Error(`${name} must be a positive number, not '${process.env[name] ?? ''}'`);
  return Math.floor(value);
};
const TERMINALS = numberFrom('BENCH_TERMINALS', 1000);
const IN_FLIGHT = numberFrom('BENCH_IN_FLIGHT', 32);
const PROCESSES = Math.min(numberFrom('BENCH_TERMINAL_PROCESSES', 1), TERMINALS);
/** An external broker (`mqtt://127.0.0.1:1883`) instead of the embedded one: the broker's work leaves the SP's process. */
const MQTT_URL = process.env['BENCH_MQTT_URL'] ?? '';
/** The timed pass starts no session after this. */
const MAX_SECONDS = numberFrom('BENCH_MAX_SECONDS', 90);
const VERBOSE = process.env['BENCH_VERBOSE'] === '1';
/** Untimed sessions first (JIT, caches, SQLite pages): a tenth of the terminals, at most 100. */
const WARMUP_SESSIONS = Math.min(100, Math.max(1, Math.floor(TERMINALS / 10)));
/** `BENCH_CPU_PROFILE=path.cpuprofile`: the SP process's CPU profile of the timed pass alone (not start-up, enrolment, warm-up). */
const CPU_PROFILE = process.env['BENCH_CPU_PROFILE'] ?? '';
const STEP_TIMEOUT_MS = 30_000;
const STALL_REPORT_MS = 10_000;

const quietLogger: PlatformLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
/** `BENCH_VERBOSE=1`: the platform's warnings and errors on stderr (a bench that stalls says why). */
const verboseLogger: PlatformLogger = { log: () => undefined, warn: (message) => console.error(message), error: (message) => console.error(message) };

/** Measures one sealed message both ways (compose + receive) with the node backend: the unit of the crypto floor. */
async function messageCryptoCostUs(): Promise<[Measurement, Measurement]> {
  const crypto = new NodeCryptoBackend();
  const registry = new MessageRegistry().register(...DATA_UPDATE_MESSAGES);
  const codec = new MessageCodec(new Envelope(crypto), registry, systemClock, { maxSkewMs: 300_000, numberRetentionMs: 86_400_000 });
  const sender = generatePrincipalKeys(crypto);
  const recipient = generatePrincipalKeys(crypto);
  const from = 'dev:gate:bench' as PrincipalId;
  const to = 'sp:bench' as PrincipalId;
  const definition = codec.definition('dataUpdateRequest');
  const fields = { terminalId: 'dev:gate:bench', merchantId: 'mer:bench' };
  const frames: Uint8Array[] = [];
  const compose = measure('seal: sign + seal one message', () => frames.push(codec.compose(definition, { from, to, fields }, [{ kid: from, secretKey: sender.signing.secretKey }], recipient.sealing.publicKey).bytes), { maxOps: 3000, maxMs: 1500, warmupOps: 50 });
  let index = 0;
  const keys = { signingKey: () => ({ usable: true as const, publicKey: sender.signing.publicKey, holder: from }) };
  const me = { id: to, sealingSecretKey: recipient.sealing.secretKey, sealingPublicKey: recipient.sealing.publicKey };
  const open = await measureAsync('open: open + verify one message', async () => {
    const frame = frames[index++ % frames.length] as Uint8Array;
    await codec.receive(frame, me, keys, { remember: () => true });
  }, { maxOps: Math.min(3000, frames.length), maxMs: 1500, warmupOps: 0 });
  return [compose, open];
}

/** The service providing system in this process: SQLite in a temp folder, the embedded broker (or BENCH_MQTT_URL), no plugins. */
async function startPlatform(): Promise<{ platform: Platform; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-bench-dataupdate-'));
  const config = loadConfig({
    env: {},
    overrides: {
      sp: { name: 'dataupdate' },
      dataDir,
      http: { host: '127.0.0.1', port: 0 },
      // A fixed client ID: on an external broker the SP's persistent session is the same one from run to run.
      mqtt: { url: MQTT_URL === '' ? null : MQTT_URL, username: null, password: null, clientId: 'tessera-bench', embedded: { host: '127.0.0.1', port: 0 } },
      database: { url: null, sqliteFile: 'tessera.sqlite' },
    },
  });
  const platform = await Platform.start(config, { logger: VERBOSE ? verboseLogger : quietLogger, plugins: [], clock: systemClock }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const close = async (): Promise<void> => {
    await platform.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await platform.resume();
  } catch (error) {
    await close();
    throw error;
  }
  return { platform, close };
}

/** One forked process of simulated terminals, driven one step at a time over IPC. */
class ForkedFleet {
  private constructor(private readonly worker: ForkedWorker<ToFleet, FromFleet>) {}

  static async start(job: FleetJob): Promise<ForkedFleet> {
    return new ForkedFleet(await ForkedWorker.start<ToFleet, FromFleet>('./data-update-terminal-process.js', 'terminal process', { kind: 'attach', job }, 'attached'));
  }

  async run(order: RunOrder): Promise<RunResult> {
    const answer = await this.worker.request({ kind: 'run', order }, 'result');
    if (answer.kind !== 'result') throw new Error(`terminal process answered ${answer.kind}`);
    return answer.result;
  }

  close(): Promise<void> {
    return this.worker.close({ kind: 'close' }, 'closed');
  }

  kill(): void {
    this.worker.kill();
  }
}

/**
 * CPU time of this process's main thread (the event loop) and of its other threads (SQLite's and libuv's pool, GC
 * helpers), µs, from /proc on Linux; undefined elsewhere.
 */
function threadCpuUs(): { main: number; others: number } | undefined {
  if (!existsSync('/proc/self/task')) return undefined;
  const ticks = (tid: string): number => {
    try {
      // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0; // the thread ended meanwhile
    }
  };
  const tickUs = 10_000; // USER_HZ is 100 on Linux
  let main = 0;
  let others = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    if (tid === String(process.pid)) main += ticks(tid) * tickUs;
    else others += ticks(tid) * tickUs;
  }
  return { main, others };
}

interface PassFigures {
  readonly completed: number;
  readonly failures: readonly string[];
  readonly latenciesUs: readonly number[];
  readonly spOpens: number;
  readonly spSeals: number;
  readonly wallMs: number;
  readonly spCpuUs: number;
  readonly spThreads: { main: number; others: number } | undefined;
  readonly terminalCpuUs: number;
  /** The SP's event-loop utilisation over the pass (busy or waiting for a core, as opposed to waiting for I/O). */
  readonly eventLoopUtilization: number;
}

/** Runs one pass on every terminal process at once; the SP's CPU time and the wall time are taken here. */
async function runPass(fleets: readonly ForkedFleet[], label: string, sessions: number, inFlight: number): Promise<PassFigures> {
  const share = (total: number, index: number): number => Math.floor(total / fleets.length) + (index < total % fleets.length ? 1 : 0);
  const cpuBefore = process.cpuUsage();
  const threadsBefore = threadCpuUs();
  const loopBefore = performance.eventLoopUtilization();
  const started = performance.now();
  const results = await Promise.all(
    fleets.map((fleet, index) =>
      fleet.run({ label, sessions: share(sessions, index), inFlight: Math.max(1, share(inFlight, index)), maxMs: MAX_SECONDS * 1000, stepTimeoutMs: STEP_TIMEOUT_MS, stallReportMs: STALL_REPORT_MS, verbose: VERBOSE }),
    ),
  );
  const wallMs = performance.now() - started;
  const eventLoopUtilization = performance.eventLoopUtilization(loopBefore).utilization;
  const cpu = process.cpuUsage(cpuBefore);
  const threadsAfter = threadCpuUs();
  const sum = (pick: (result: RunResult) => number): number => results.reduce((total, result) => total + pick(result), 0);
  return {
    completed: sum((result) => result.completed),
    failures: results.flatMap((result) => result.failures),
    latenciesUs: results.flatMap((result) => result.latenciesUs),
    spOpens: sum((result) => result.spOpens),
    spSeals: sum((result) => result.spSeals),
    wallMs,
    spCpuUs: cpu.user + cpu.system,
    spThreads: threadsBefore === undefined || threadsAfter === undefined ? undefined : { main: threadsAfter.main - threadsBefore.main, others: threadsAfter.others - threadsBefore.others },
    terminalCpuUs: sum((result) => result.cpuUs),
    eventLoopUtilization,
  };
}


const ms = (us: number): string => (us / 1000).toFixed(2);
const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** Prints one pass: throughput, round trip, the ratio to the SP's crypto floor, and where the CPU went. */
function reportPass(label: string, pass: PassFigures, sealUs: number, openUs: number): void {
  if (pass.completed === 0) throw new Error(`${label}: no data update completed; first failure: ${pass.failures[0] ?? 'none'}`);
  const perSecond = pass.completed / (pass.wallMs / 1000);
  const opens = pass.spOpens / pass.completed;
  const seals = pass.spSeals / pass.completed;
  const spFloorUs = opens * openUs + seals * sealUs;
  const ratio = perSecond / (1e6 / spFloorUs);
  const messages = opens + seals;
  const wholeFloorPerSecond = 1e6 / (messages * (sealUs + openUs));
  const spCpuPerUpdate = pass.spCpuUs / pass.completed;
  const split = pass.spThreads === undefined ? '' : ` = main thread ${(pass.spThreads.main / pass.completed).toFixed(0)} + other threads ${(pass.spThreads.others / pass.completed).toFixed(0)}`;
  console.log(`${label}:`);
  console.log(`  sustained     ${perSecond.toFixed(1)} data updates/s (${pass.completed} sessions in ${(pass.wallMs / 1000).toFixed(2)} s${pass.completed < TERMINALS ? `; stopped at the ${MAX_SECONDS} s budget` : ''})`);
  console.log(`  round trip    median ${ms(percentile(pass.latenciesUs, 0.5))} ms, p99 ${ms(percentile(pass.latenciesUs, 0.99))} ms (request sent to update data verified, queueing included)`);
  console.log(`  SP floor      ${(1e6 / spFloorUs).toFixed(1)} updates/s: per session the SP opens ${opens.toFixed(1)} messages (request, upload packets) x ${openUs.toFixed(0)} us and seals ${seals.toFixed(1)} (response, update data packets) x ${sealUs.toFixed(0)} us = ${spFloorUs.toFixed(0)} us`);
  console.log(`  ratio         ${pct(ratio)} of the SP crypto floor (${ratio >= 0.5 ? 'within' : 'BELOW'} target: at least 50%)`);
  console.log(`  whole system  ${pct(perSecond / wholeFloorPerSecond)} of ${wholeFloorPerSecond.toFixed(1)} updates/s, the floor of terminals and SP together: ${messages.toFixed(0)} messages x (seal + open) = ${(1e6 / wholeFloorPerSecond).toFixed(0)} us`);
  console.log(`  CPU           SP process ${spCpuPerUpdate.toFixed(0)} us per update${split} (${pct(pass.spCpuUs / 1000 / pass.wallMs)} of a core; the SP floor is ${pct(spFloorUs / spCpuPerUpdate)} of it); terminals ${(pass.terminalCpuUs / pass.completed).toFixed(0)} us per update (${pct(pass.terminalCpuUs / 1000 / pass.wallMs)} of a core)`);
  console.log(`  event loop    ${pct(pass.eventLoopUtilization)} utilised (the SP's main thread, busy or waiting for a core)`);
}

/**
 * Data updates the service providing system sustains with N terminals attached over MQTT, the terminals in forked
 * processes, each terminal running one complete session (request, request response, upload, update data),
 * IN_FLIGHT sessions at a time, then every terminal at once (what the SP sustains when all N ask together); round
 * trip median and p99; and the ratio to the SP's crypto floor: the seals, opens and signature checks the SP does in
 * the sessions the pass really exchanged, at the unit costs measured here.
 */
export const dataUpdateBench: BenchModule = {
  name: 'data-update',
  async run() {
    const [seal, open] = await messageCryptoCostUs();
    const { platform, close } = await startPlatform();
    const fleets: ForkedFleet[] = [];
    try {
      const enrol = new Enrolment(platform);
      const merchant = await enrol.merchant('bench');
      const attachStarted = performance.now();
      const credentials: CredentialsJson[] = [];
      // Names of their own, so that on a shared external broker no other test's device session is taken over.
      for (let index = 0; index < TERMINALS; index += 1) credentials.push(credentialsToJson(await enrol.merchantDevice(merchant, 'gate', `bench-g${index}`)) as CredentialsJson);
      const digest = platform.mirror.digest({});
      const slices = Array.from({ length: PROCESSES }, (_, process) => credentials.filter((_, index) => index % PROCESSES === process));
      const started = await Promise.allSettled(slices.map((slice) => ForkedFleet.start({ credentials: slice, mqttUrl: platform.mqttUrl, digest, attachConcurrency: 50 })));
      for (const result of started) if (result.status === 'fulfilled') fleets.push(result.value);
      const refused = started.find((result) => result.status === 'rejected');
      if (refused !== undefined) throw refused.reason;
      const attachSeconds = (performance.now() - attachStarted) / 1000;

      const warmup = await runPass(fleets, 'warm-up', WARMUP_SESSIONS, IN_FLIGHT);
      if (warmup.failures.length > 0) throw new Error(`warm-up: ${warmup.failures.length} sessions failed, first: ${warmup.failures[0] ?? ''}`);
      const pass = await profiled(CPU_PROFILE, () => runPass(fleets, 'timed pass', TERMINALS, IN_FLIGHT));
      const all = IN_FLIGHT >= TERMINALS ? undefined : await runPass(fleets, 'all at once', TERMINALS, TERMINALS);
      const loadAtEnd = loadavg()[0] ?? Number.NaN;
      const broker = MQTT_URL === '' ? 'embedded broker in the SP process' : `external broker ${MQTT_URL}`;

      printTable('data update: crypto unit costs, measured in this run (node backend, the SP’s own code path; µs)', [seal, open]);
      console.log(`\ndata updates with ${TERMINALS} gate terminals in ${PROCESSES} child process${PROCESSES === 1 ? '' : 'es'} over MQTT (${broker}, SQLite; enrolled and attached in ${attachSeconds.toFixed(1)} s; ${warmup.completed} warm-up sessions untimed)`);
      reportPass(`${IN_FLIGHT} sessions in flight`, pass, seal.medianUs, open.medianUs);
      if (all !== undefined) reportPass(`all ${TERMINALS} terminals at once`, all, seal.medianUs, open.medianUs);
      console.log(`  load          ${loadAtEnd.toFixed(2)} at end`);
      for (const figures of [pass, all]) if (figures !== undefined && figures.failures.length > 0) throw new Error(`${figures.failures.length} sessions failed, first: ${figures.failures[0] ?? ''}`);
    } finally {
      await Promise.all(fleets.map((fleet) => fleet.close().catch(() => fleet.kill())));
      await close();
    }
  },
};
