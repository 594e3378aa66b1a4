import { TerminalFleet, type FleetJob, type RunOrder, type RunResult } from './data-update-terminals.js';

/**
 * The simulated terminals of the data-update bench in a process of their own (forked by data-update.bench.ts, one or
 * several), as real terminals never share the service providing system's event loop. Speaks over the IPC channel.
 */

export type ToFleet = { readonly kind: 'attach'; readonly job: FleetJob } | { readonly kind: 'run'; readonly order: RunOrder } | { readonly kind: 'close' };
export type FromFleet =
  | { readonly kind: 'attached'; readonly terminals: number }
  | { readonly kind: 'result'; readonly result: RunResult }
  | { readonly kind: 'report'; readonly line: string }
  | { readonly kind: 'closed' }
  | { readonly kind: 'failed'; readonly error: string };

function reply(message: FromFleet): void {
  process.send?.(message);
}

function serve(): void {
  let fleet: TerminalFleet | undefined;
  process.on('message', (message: ToFleet) => {
    void (async () => {
      try {
        if (message.kind === 'attach') {
          fleet = await TerminalFleet.attach(message.job);
          reply({ kind: 'attached', terminals: fleet.size });
        } else if (message.kind === 'run') {
          if (fleet === undefined) throw new Error('run before attach');
          reply({ kind: 'result', result: await fleet.run(message.order, (line) => reply({ kind: 'report', line: `[terminals ${process.pid}] ${line}` })) });
        } else {
          await fleet?.close();
          reply({ kind: 'closed' });
          process.disconnect();
        }
      } catch (error) {
        reply({ kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
  // The bench process went away (killed, crashed): do not linger with a thousand open connections.
  process.on('disconnect', () => setTimeout(() => process.exit(0), 2_000).unref());
}

if (process.send !== undefined) serve();
