import { BenchDevices, type DeviceJob, type Pass, type PassResult } from './remote-access-devices.js';

/**
 * The device side of the remote-access bench in a process of its own, as real terminals never share the service
 * providing system's event loop. Forked by remote-access.bench.ts; speaks over the IPC channel.
 */

export type ToDevice = { readonly kind: 'attach'; readonly job: DeviceJob } | { readonly kind: 'pass'; readonly pass: Pass } | { readonly kind: 'close' };
export type FromDevice =
  | { readonly kind: 'ready' }
  | { readonly kind: 'result'; readonly result: PassResult }
  | { readonly kind: 'closed' }
  | { readonly kind: 'failed'; readonly error: string };

function reply(message: FromDevice): void {
  process.send?.(message);
}

async function serve(): Promise<void> {
  let devices: BenchDevices | undefined;
  process.on('message', (message: ToDevice) => {
    void (async () => {
      try {
        if (message.kind === 'attach') {
          devices = await BenchDevices.attach(message.job);
          reply({ kind: 'ready' });
        } else if (message.kind === 'pass') {
          if (devices === undefined) throw new Error('pass before attach');
          reply({ kind: 'result', result: await devices.run(message.pass) });
        } else {
          await devices?.close();
          reply({ kind: 'closed' });
          process.disconnect();
        }
      } catch (error) {
        reply({ kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
}

if (process.send !== undefined) void serve();
