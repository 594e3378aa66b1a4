import { toPackets } from '../src/core/data-update/packets.js';
import type { UploadContent } from '../src/core/data-update/terminal-image.js';
import { credentialsFromJson } from '../src/devices/credentials.js';
import { RawTerminal } from '../src/devices/scripted/scripted-terminal.js';
import type { Message } from '../src/protocol/message.js';

/**
 * The terminal side of the data-update bench: N gate terminals, each a RawTerminal with its own MQTT connection and
 * keys, running complete data update sessions against the service providing system. Runs in a forked process
 * (data-update-terminal-process.ts), as real terminals never share the service providing system's event loop.
 */

export type CredentialsJson = Parameters<typeof credentialsFromJson>[0];

export interface FleetJob {
  readonly credentials: readonly CredentialsJson[];
  readonly mqttUrl: string;
  /** The digest of the empty service data area, as the SP's mirror of a new terminal has it. */
  readonly digest: string;
  /** Attaches at most this many terminals at once. */
  readonly attachConcurrency: number;
}

export interface RunOrder {
  readonly label: string;
  /** Sessions of the pass: terminal i % N runs session i, so each terminal runs at most ceil(sessions / N) of them. */
  readonly sessions: number;
  readonly inFlight: number;
  /** No session starts after this; the pass reports how many completed. */
  readonly maxMs: number;
  /** One exchange (request to response, upload to update data) waits at most this long. */
  readonly stepTimeoutMs: number;
  /** No session completed for this long: a stall report goes to the parent (again every time this passes). */
  readonly stallReportMs: number;
  readonly verbose: boolean;
}

export interface RunResult {
  readonly label: string;
  readonly completed: number;
  readonly failures: readonly string[];
  /** Round trip of each completed session (request sent to the last update data packet verified), µs. */
  readonly latenciesUs: readonly number[];
  /** Messages the SP received (request + upload packets) and sent (response + update data packets), summed over sessions. */
  readonly spOpens: number;
  readonly spSeals: number;
  readonly wallMs: number;
  /** CPU time of this process during the pass, µs. */
  readonly cpuUs: number;
}

type Step = 'request' | 'upload';

const upload = (digest: string, optionCode: number): UploadContent =>
  ({ optionCode, basicProgram: { version: '1.0.0' }, serviceDataDigest: digest, serviceData: null, accessTimes: {}, userArea: {}, records: [], batteryLevel: 80 }) as UploadContent;

export class TerminalFleet {
  private constructor(
    private readonly terminals: readonly RawTerminal[],
    private readonly digest: string,
  ) {}

  get size(): number {
    return this.terminals.length;
  }

  static async attach(job: FleetJob): Promise<TerminalFleet> {
    const terminals: RawTerminal[] = new Array<RawTerminal>(job.credentials.length);
    let next = 0;
    try {
      await Promise.all(
        Array.from({ length: Math.max(1, Math.min(job.attachConcurrency, job.credentials.length)) }, async () => {
          while (next < job.credentials.length) {
            const index = next++;
            terminals[index] = await RawTerminal.attach(credentialsFromJson(job.credentials[index] as CredentialsJson), job.mqttUrl);
          }
        }),
      );
    } catch (error) {
      await Promise.all(terminals.filter((terminal) => terminal !== undefined).map((terminal) => terminal.close()));
      throw error;
    }
    return new TerminalFleet(terminals, job.digest);
  }

  async run(order: RunOrder, report: (line: string) => void): Promise<RunResult> {
    const latenciesUs: number[] = [];
    const failures: string[] = [];
    const waiting = new Map<RawTerminal, { step: Step; since: number }>();
    let spOpens = 0;
    let spSeals = 0;
    let started = 0;
    let lastCompletion = performance.now();
    const begin = performance.now();
    const cpuBefore = process.cpuUsage();
    const deadline = begin + order.maxMs;

    const session = async (terminal: RawTerminal): Promise<void> => {
      const t0 = performance.now();
      waiting.set(terminal, { step: 'request', since: t0 });
      try {
        const before = terminal.received.length;
        await terminal.send(terminal.compose('dataUpdateRequest', terminal.party));
        const response = await terminal.next('dataUpdateRequestResponse', before, order.stepTimeoutMs);
        const pg = response.pg as string;
        const optionCode = (response.fields as { updateOptionCode: number }).updateOptionCode;
        const packets = toPackets(upload(this.digest, optionCode));
        waiting.set(terminal, { step: 'upload', since: performance.now() });
        for (const [index, packet] of packets.entries()) {
          await terminal.send(terminal.compose('uploadData', { packetNumber: index + 1, packetCount: packets.length, compressedData: packet, ...terminal.party }, { pg }));
        }
        const updates = await terminal.until((message) => isLastUpdate(terminal.received, message, pg), `update data of ${pg}`, order.stepTimeoutMs);
        const updateCount = (updates.fields as { packetCount: number }).packetCount;
        latenciesUs.push((performance.now() - t0) * 1000);
        spOpens += 1 + packets.length;
        spSeals += 1 + updateCount;
        lastCompletion = performance.now();
      } finally {
        waiting.delete(terminal);
      }
    };

    const stalls = setInterval(() => {
      const now = performance.now();
      if (now - lastCompletion < order.stallReportMs && !order.verbose) return;
      const byStep = new Map<Step, { count: number; oldest: number; terminal: string }>();
      for (const [terminal, { step, since }] of waiting) {
        const entry = byStep.get(step) ?? { count: 0, oldest: now, terminal: '' };
        entry.count += 1;
        if (since <= entry.oldest) Object.assign(entry, { oldest: since, terminal: terminal.credentials.deviceId });
        byStep.set(step, entry);
      }
      const steps = [...byStep.entries()].map(([step, entry]) => `${entry.count} waiting for the ${step === 'request' ? 'request response' : 'update data'} (oldest ${entry.terminal}, ${((now - entry.oldest) / 1000).toFixed(1)} s)`);
      const stalled = now - lastCompletion >= order.stallReportMs;
      if (stalled) lastCompletion = now;
      report(`${order.label}: ${stalled ? `STALLED, no session completed for ${(order.stallReportMs / 1000).toFixed(0)} s; ` : ''}${latenciesUs.length} of ${order.sessions} sessions done, ${failures.length} failed; ${steps.join('; ') || 'none in flight'}`);
    }, order.verbose ? 2_000 : Math.min(1_000, order.stallReportMs));

    try {
      await Promise.all(
        Array.from({ length: Math.max(1, Math.min(order.inFlight, order.sessions)) }, async () => {
          while (started < order.sessions && performance.now() < deadline) {
            const terminal = this.terminals[started++ % this.terminals.length] as RawTerminal;
            await session(terminal).catch((error: unknown) => {
              failures.push(`${terminal.credentials.deviceId}: ${error instanceof Error ? error.message : String(error)}`);
            });
          }
        }),
      );
    } finally {
      clearInterval(stalls);
    }
    const cpu = process.cpuUsage(cpuBefore);
    return { label: order.label, completed: latenciesUs.length, failures, latenciesUs, spOpens, spSeals, wallMs: performance.now() - begin, cpuUs: cpu.user + cpu.system };
  }

  async close(): Promise<void> {
    await Promise.all(this.terminals.map((terminal) => terminal.close()));
  }
}

/** The message is an update data packet of the session and every packet of it has arrived. */
function isLastUpdate(received: readonly Message[], message: Message, pg: string): boolean {
  if (message.pg !== pg || message.type !== 'updateData') return false;
  const count = (message.fields as { packetCount: number }).packetCount;
  if (count === 1) return true;
  return received.filter((other) => other.pg === pg && other.type === 'updateData').length >= count;
}
