import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TicketBenchDevices, type ExaminationJob, type ExaminationResult, type PurchaseJob, type PurchaseResult, type TicketDeviceJob } from './ticket-bench-devices.js';
import { callDevices, type FromTicketDevices, type TicketDeviceCall, type ToTicketDevices } from './ticket-device-process.js';

/** Where the ticket bench's phones and gates run: a child process (default, as in service), or the platform's process. */
export class TicketDeviceSide {
  private constructor(
    readonly where: string,
    private readonly call: (call: TicketDeviceCall) => Promise<unknown>,
    readonly close: () => Promise<void>,
  ) {}

  /** `BENCH_DEVICES=in-process` keeps the devices in the platform's process (the bench's layout before it forked). */
  static async start(job: TicketDeviceJob): Promise<TicketDeviceSide> {
    if (process.env['BENCH_DEVICES'] === 'in-process') {
      const devices = await TicketBenchDevices.attach(job);
      return new TicketDeviceSide('in the platform’s process', (call) => callDevices(devices, call), () => devices.close());
    }
    const child = fork(fileURLToPath(new URL('./ticket-device-process.js', import.meta.url)), [], { stdio: 'inherit' });
    const request = (message: ToTicketDevices) => requestOf(child, message);
    try {
      await request({ kind: 'attach', job });
    } catch (error) {
      child.kill();
      throw error;
    }
    return new TicketDeviceSide('in a child process', (call) => request({ kind: 'call', call }), () => closeChild(child));
  }

  purchases(job: PurchaseJob): Promise<PurchaseResult> {
    return this.call({ kind: 'purchases', job }) as Promise<PurchaseResult>;
  }

  async prepareExaminations(ticketCode: string, date: string): Promise<void> {
    await this.call({ kind: 'prepareExaminations', ticketCode, date });
  }

  examinations(job: ExaminationJob): Promise<ExaminationResult> {
    return this.call({ kind: 'examinations', job }) as Promise<ExaminationResult>;
  }
}

/** One request, one answer: the bench drives the device process one step at a time. */
function requestOf(child: ChildProcess, message: ToTicketDevices): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (answer: FromTicketDevices): void => {
      cleanup();
      if (answer.kind === 'failed') reject(new Error(`ticket device process: ${answer.error}`));
      else resolve(answer.value);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`ticket device process exited (${String(code)}) before answering ${message.kind}`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message);
  });
}

async function closeChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.connected) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await requestOf(child, { kind: 'close' });
  } finally {
    if (child.exitCode === null) {
      const timer = setTimeout(() => child.kill(), 5_000);
      await exited;
      clearTimeout(timer);
    }
  }
}
