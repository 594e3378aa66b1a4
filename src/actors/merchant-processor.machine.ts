import { createTerminalProcessorMachine } from './terminal-processor.machine-kit.js';

/**
 * The merchant processor [1481]: receives verified requests from gate terminals, merchant terminals, accounting
 * machines and telephone-card accounting machines, and answers them (5701) or opens a process group.
 */
export const merchantProcessorMachine = createTerminalProcessorMachine('merchantProcessor');
