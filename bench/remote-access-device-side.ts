import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
  constructor(private readonly child: ChildProcess) {}

  static async start(job: DeviceJob): Promise<ForkedDevices> {
    const child = fork(fileURLToPath(new URL('./remote-access-device-process.js', import.meta.url)), [], { stdio: 'inherit' });
    const devices = new ForkedDevices(child);
    try {
      await devices.request({ kind: 'attach', job }, 'ready');
    } catch (error) {
      child.kill();
      throw error;
    }
    return devices;
  }

  async run(pass: Pass): Promise<PassResult> {
    const answer = await this.request({ kind: 'pass', pass }, 'result');
    if (answer.kind !== 'result') throw new Error(`device process answered ${answer.kind}`);
    return answer.result;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.request({ kind: 'close' }, 'closed');
    } finally {
      if (this.child.exitCode === null) {
        const timer = setTimeout(() => this.child.kill(), 5_000);
        await exited;
        clearTimeout(timer);
      }
    }
  }

  /** One request, one answer: the bench drives the device process one step at a time. */
  private request(message: ToDevice, expected: FromDevice['kind']): Promise<FromDevice> {
    return new Promise((resolve, reject) => {
      const onMessage = (answer: FromDevice): void => {
        cleanup();
        if (answer.kind === 'failed') reject(new Error(`device process: ${answer.error}`));
        else if (answer.kind !== expected) reject(new Error(`device process answered ${answer.kind}, expected ${expected}`));
        else resolve(answer);
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`device process exited (${String(code)}) before answering ${message.kind}`));
      };
      const cleanup = (): void => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(message);
    });
  }
}

/** `BENCH_DEVICES=in-process` keeps the devices in the platform's process (the bench's layout before it forked). */
export async function startDeviceSide(job: DeviceJob): Promise<DeviceSide> {
  if (process.env['BENCH_DEVICES'] === 'in-process') return new InProcessDevices(await BenchDevices.attach(job));
  return ForkedDevices.start(job);
}
