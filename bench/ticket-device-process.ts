import { TicketBenchDevices, type ExaminationJob, type PurchaseJob, type TicketDeviceJob } from './ticket-bench-devices.js';

/**
 * The phones and gates of the ticket bench in a process of their own, as real terminals never share the service
 * providing system's event loop. Forked by ticket-device-side.ts; one request, one answer over the IPC channel.
 */

export type TicketDeviceCall =
  | { readonly kind: 'purchases'; readonly job: PurchaseJob }
  | { readonly kind: 'prepareExaminations'; readonly ticketCode: string; readonly date: string }
  | { readonly kind: 'examinations'; readonly job: ExaminationJob };

export type ToTicketDevices = { readonly kind: 'attach'; readonly job: TicketDeviceJob } | { readonly kind: 'call'; readonly call: TicketDeviceCall } | { readonly kind: 'close' };
export type FromTicketDevices = { readonly kind: 'done'; readonly value: unknown } | { readonly kind: 'failed'; readonly error: string };

export function callDevices(devices: TicketBenchDevices, call: TicketDeviceCall): Promise<unknown> {
  switch (call.kind) {
    case 'purchases':
      return devices.purchases(call.job);
    case 'prepareExaminations':
      return devices.prepareExaminations(call.ticketCode, call.date);
    case 'examinations':
      return devices.examinations(call.job);
  }
}

function reply(message: FromTicketDevices): void {
  process.send?.(message);
}

function serve(): void {
  let devices: TicketBenchDevices | undefined;
  process.on('message', (message: ToTicketDevices) => {
    void (async () => {
      try {
        if (message.kind === 'attach') {
          devices = await TicketBenchDevices.attach(message.job);
          reply({ kind: 'done', value: null });
        } else if (message.kind === 'call') {
          if (devices === undefined) throw new Error('call before attach');
          reply({ kind: 'done', value: (await callDevices(devices, message.call)) ?? null });
        } else {
          await devices?.close();
          reply({ kind: 'done', value: null });
          process.disconnect();
        }
      } catch (error) {
        reply({ kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
}

if (process.send !== undefined) serve();
