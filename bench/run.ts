import { machine, type BenchModule } from './bench-kit.js';
import { actorMemoryBench } from './actor-memory.bench.js';
import { cryptoBench } from './crypto.bench.js';
import { inspectorBench } from './inspector.bench.js';
import { dataUpdateBench } from './data-update.bench.js';
import { remoteAccessBench } from './remote-access.bench.js';
import { ticketBench } from './ticket.bench.js';

// Add a bench here: import it from './<name>.bench.js' and list it.
const BENCHES: readonly BenchModule[] = [cryptoBench, remoteAccessBench, actorMemoryBench, dataUpdateBench, ticketBench, inspectorBench];

/** `node dist/bench/run.js [filter]`: runs every bench, or those whose name contains the filter. */
async function main(filter: string | undefined): Promise<number> {
  const selected = BENCHES.filter((bench) => filter === undefined || bench.name.includes(filter));
  if (selected.length === 0) {
    console.error(`no bench matches '${filter ?? ''}'; known: ${BENCHES.map((bench) => bench.name).join(', ')}`);
    return 2;
  }
  console.log(`Tessera benchmarks on ${machine()}`);
  for (const bench of selected) {
    const started = performance.now();
    await bench.run();
    console.log(`\n[${bench.name}] done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return 0;
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
