import { ForkedWorker } from './forked-worker.js';
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
    const worker = await ForkedWorker.start<ToTicketDevices, FromTicketDevices>('./ticket-device-process.js', 'ticket device process', { kind: 'attach', job });
    const call = async (deviceCall: TicketDeviceCall): Promise<unknown> => {
      const answer = await worker.request({ kind: 'call', call: deviceCall }, 'done');
      return answer.kind === 'done' ? answer.value : undefined;
    };
    return new TicketDeviceSide('in a child process', call, () => worker.close({ kind: 'close' }));
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
