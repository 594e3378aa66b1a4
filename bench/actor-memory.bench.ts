import type { BenchModule } from './bench-kit.js';
export const actorMemoryBench: BenchModule = { name: 'actor-memory', async run() {} };
