import { ForkedWorker } from './forked-worker.js';
import type { FromDevice, ToDevice } from './remote-access-device-process.js';
import { BenchDevices, type DeviceJob, type Pass, type PassResult } from './remote-access-devices.js';

/** Where the bench's devices run: in a child process (default, as in service), or in the platform's own process. */
export interface DeviceSide {
  readonly where: string;
  run(pass: Pass): Promise<PassResult>;
  close(): Promise<void>;
}

class InProcessDevices implements DeviceSide {
  readonly where = 'in the platform’s process';
  constructor(private readonly devices: BenchDevices) {}
  run(pass: Pass): Promise<PassResult> {
    return this.devices.run(pass);
  }
  close(): Promise<void> {
    return this.devices.close();
  }
}

class ForkedDevices implements DeviceSide {
  readonly where = 'in a child process';
  constructor(private readonly worker: ForkedWorker<ToDevice, FromDevice>) {}

  static async start(job: DeviceJob): Promise<ForkedDevices> {
    return new ForkedDevices(await ForkedWorker.start<ToDevice, FromDevice>('./remote-access-device-process.js', 'device process', { kind: 'attach', job }, 'ready'));
  }

  async run(pass: Pass): Promise<PassResult> {
    const answer = await this.worker.request({ kind: 'pass', pass }, 'result');
    if (answer.kind !== 'result') throw new Error(`device process answered ${answer.kind}`);
    return answer.result;
  }

  close(): Promise<void> {
    return this.worker.close({ kind: 'close' }, 'closed');
  }
}

/** `BENCH_DEVICES=in-process` keeps the devices in the platform's process (the bench's layout before it forked). */
export async function startDeviceSide(job: DeviceJob): Promise<DeviceSide> {
  if (process.env['BENCH_DEVICES'] === 'in-process') return new InProcessDevices(await BenchDevices.attach(job));
  return ForkedDevices.start(job);
}
