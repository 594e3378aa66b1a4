import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { arch, cpus, loadavg, platform } from 'node:os';

/** One benchmark file: `run.ts` lists them and runs those whose name matches the filter. */
export interface BenchModule {
  readonly name: string;
  run(): Promise<void>;
}

/** Every loop is bounded twice: by a count and by a time budget, whichever comes first. */
export interface Budget {
  readonly maxOps: number;
  readonly maxMs: number;
  /** Untimed calls first, so the JIT and the key caches are warm. */
  readonly warmupOps: number;
}

export const DEFAULT_BUDGET: Budget = { maxOps: 20_000, maxMs: 400, warmupOps: 50 };

export interface Measurement {
  readonly name: string;
  readonly ops: number;
  readonly opsPerSec: number;
  readonly meanUs: number;
  readonly medianUs: number;
  readonly p99Us: number;
}

/** The sample at quantile `q` (0..1) of `samples`, nearest-rank; NaN for no samples. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

function summarise(name: string, samplesNs: readonly number[], totalNs: number): Measurement {
  const samplesUs = samplesNs.map((ns) => ns / 1000);
  return {
    name,
    ops: samplesNs.length,
    opsPerSec: samplesNs.length / (totalNs / 1e9),
    meanUs: totalNs / 1000 / samplesNs.length,
    medianUs: percentile(samplesUs, 0.5),
    p99Us: percentile(samplesUs, 0.99),
  };
}

/**
 * Calls `op(i)` for i = 0, 1, ...: the first `warmupOps` untimed, then timed until the count or the time budget runs out
 * (at least one timed call). Indices never repeat, so `op` may consume one pre-drawn input per call.
 */
export function measure(name: string, op: (index: number) => unknown, budget: Budget = DEFAULT_BUDGET): Measurement {
  for (let i = 0; i < budget.warmupOps; i++) op(i);
  const samples: number[] = [];
  const deadlineNs = process.hrtime.bigint() + BigInt(budget.maxMs) * 1_000_000n;
  let totalNs = 0;
  for (let i = 0; i < budget.maxOps; i++) {
    const start = process.hrtime.bigint();
    op(budget.warmupOps + i);
    const end = process.hrtime.bigint();
    samples.push(Number(end - start));
    totalNs += Number(end - start);
    if (end > deadlineNs) break;
  }
  return summarise(name, samples, totalNs);
}

/** As `measure`, awaiting each call in turn. */
export async function measureAsync(name: string, op: (index: number) => Promise<unknown>, budget: Budget = DEFAULT_BUDGET): Promise<Measurement> {
  for (let i = 0; i < budget.warmupOps; i++) await op(i);
  const samples: number[] = [];
  const deadlineNs = process.hrtime.bigint() + BigInt(budget.maxMs) * 1_000_000n;
  let totalNs = 0;
  for (let i = 0; i < budget.maxOps; i++) {
    const start = process.hrtime.bigint();
    await op(budget.warmupOps + i);
    const end = process.hrtime.bigint();
    samples.push(Number(end - start));
    totalNs += Number(end - start);
    if (end > deadlineNs) break;
  }
  return summarise(name, samples, totalNs);
}

/**
 * Times `first(i)` and `second(i)` in the same loop, alternating which goes first, so that both see the same load on a
 * shared machine (neighbours, GC, CPU frequency): the fair way to compare an operation with the parts it is built from.
 */
export async function measurePaired(
  names: readonly [string, string],
  first: (index: number) => unknown,
  second: (index: number) => unknown,
  budget: Budget = DEFAULT_BUDGET,
): Promise<[Measurement, Measurement]> {
  const timed = async (op: (index: number) => unknown, index: number): Promise<number> => {
    const start = process.hrtime.bigint();
    const result = op(index);
    if (result instanceof Promise) await result;
    return Number(process.hrtime.bigint() - start);
  };
  for (let i = 0; i < budget.warmupOps; i++) {
    await timed(first, i);
    await timed(second, i);
  }
  const samples: [number[], number[]] = [[], []];
  const deadlineNs = process.hrtime.bigint() + BigInt(budget.maxMs) * 1_000_000n;
  for (let i = 0; i < budget.maxOps && (i === 0 || process.hrtime.bigint() < deadlineNs); i++) {
    const index = budget.warmupOps + i;
    if (i % 2 === 0) {
      samples[0].push(await timed(first, index));
      samples[1].push(await timed(second, index));
    } else {
      samples[1].push(await timed(second, index));
      samples[0].push(await timed(first, index));
    }
  }
  const total = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0);
  return [summarise(names[0], samples[0], total(samples[0])), summarise(names[1], samples[1], total(samples[1]))];
}

/** The machine the figures come from: they mean little without it. */
export function machine(): string {
  const cores = cpus();
  const load = loadavg()[0] ?? Number.NaN;
  return `${cores[0]?.model.trim() ?? 'unknown CPU'}, ${cores.length} cores, node ${process.version}, ${platform()} ${arch()}, load ${load.toFixed(2)} at start`;
}

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** Prints measurements as an aligned table under a title. */
export function printTable(title: string, rows: readonly Measurement[]): void {
  const header = ['operation', 'ops/s', 'mean µs', 'median µs', 'p99 µs', 'samples'];
  const body = rows.map((row) => [row.name, fixed(row.opsPerSec, 0), fixed(row.meanUs, 1), fixed(row.medianUs, 1), fixed(row.p99Us, 1), String(row.ops)]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...body.map((line) => (line[column] ?? '').length)));
  const format = (line: readonly string[]) => line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  console.log(`\n${title}`);
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of body) console.log(format(line));
}

/** Runs `during` under the V8 CPU profiler of this process when a path is given, and writes the profile there. */
export async function profiled<T>(path: string, during: () => Promise<T>): Promise<T> {
  if (path === '') return during();
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const value = await during();
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(path, JSON.stringify(profile));
    console.error(`CPU profile of the timed pass written to ${path}`);
    return value;
  } finally {
    session.disconnect();
  }
}
