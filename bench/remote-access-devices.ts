import { monitorEventLoopDelay } from 'node:perf_hooks';
import { systemClock } from '../src/common/clock.js';
import { credentialsFromJson, type DeviceCredentials } from '../src/devices/credentials.js';
import { attachDevice } from '../src/devices/runtime/attach-device.js';
import type { DeviceRuntime } from '../src/devices/runtime/device-runtime.js';
import { NodeCryptoBackend } from '../src/protocol/crypto/node-backend.js';
import { measureAsync, percentile, type Budget, type Measurement } from './bench-kit.js';
import { tallyCrypto, tallyToJson, type CryptoTallyJson } from './crypto-tally.js';
import { EchoClient } from './mqtt-echo.js';

/** The device side of the remote-access bench: a mobile user terminal and a gate, and the passes they time. */

const MAX_SKEW_MS = 300_000;

export type CredentialsJson = Parameters<typeof credentialsFromJson>[0];

export interface DeviceJob {
  readonly mobile: CredentialsJson;
  readonly gate: CredentialsJson;
  readonly mqttUrl: string;
  readonly address: string;
}

export type Pass =
  | { readonly kind: 'echo'; readonly name: string; readonly url: string; readonly budget: Budget }
  | { readonly kind: 'sequential'; readonly device: 'mobile' | 'gate'; readonly name: string; readonly budget: Budget }
  | { readonly kind: 'concurrent'; readonly name: string; readonly inFlight: number; readonly budget: Budget }
  | { readonly kind: 'instrumented'; readonly name: string; readonly budget: Budget };

/** Event-loop delay of a process during a pass, and the CPU time it used (all its threads), µs. */
export interface LoopDelay {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  readonly cpuUs: number;
}

export interface PassResult {
  readonly measurement: Measurement;
  readonly loopDelay: LoopDelay;
  readonly tally?: CryptoTallyJson;
}

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

/** Runs `during` with this process's event-loop delay recorded (10 ms resolution is too coarse: 1 ms). */
export async function withLoopDelay<T>(during: () => Promise<T>): Promise<{ value: T; loopDelay: LoopDelay }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const cpuBefore = process.cpuUsage();
  try {
    const value = await during();
    histogram.disable();
    const cpu = process.cpuUsage(cpuBefore);
    return { value, loopDelay: { p50Us: histogram.percentile(50) / 1000, p99Us: histogram.percentile(99) / 1000, maxUs: histogram.max / 1000, cpuUs: cpu.user + cpu.system } };
  } finally {
    histogram.disable();
  }
}

export class BenchDevices {
  private constructor(
    private readonly mobile: DeviceRuntime,
    private readonly gate: DeviceRuntime,
    private readonly address: string,
  ) {}

  static async attach(job: DeviceJob): Promise<BenchDevices> {
    const mobile = await attach(credentialsFromJson(job.mobile), job.mqttUrl);
    try {
      return new BenchDevices(mobile, await attach(credentialsFromJson(job.gate), job.mqttUrl), job.address);
    } catch (error) {
      await mobile.close();
      throw error;
    }
  }

  async run(pass: Pass): Promise<PassResult> {
    const { mobile, gate, address } = this;
    if (pass.kind === 'echo') {
      const client = await EchoClient.connect(pass.url);
      try {
        const { value, loopDelay } = await withLoopDelay(() => measureAsync(pass.name, () => client.roundTrip(), pass.budget));
        return { measurement: value, loopDelay };
      } finally {
        await client.close();
      }
    }
    if (pass.kind === 'sequential') {
      const runtime = pass.device === 'mobile' ? mobile : gate;
      const { value, loopDelay } = await withLoopDelay(() => measureAsync(pass.name, () => roundTrip(runtime, address), pass.budget));
      return { measurement: value, loopDelay };
    }
    if (pass.kind === 'concurrent') {
      const { value, loopDelay } = await withLoopDelay(() => measureConcurrent(pass.name, pass.inFlight, () => roundTrip(mobile, address), pass.budget));
      return { measurement: value, loopDelay };
    }
    let measurement: Measurement | undefined;
    const { value: tally, loopDelay } = await withLoopDelay(() =>
      tallyCrypto(async () => {
        measurement = await measureAsync(pass.name, () => roundTrip(mobile, address), pass.budget);
      }),
    );
    if (measurement === undefined) throw new Error('instrumented pass did not run');
    return { measurement, loopDelay, tally: tallyToJson(tally) };
  }

  async close(): Promise<void> {
    await this.mobile.close();
    await this.gate.close();
  }
}
