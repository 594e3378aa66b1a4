import { createTerminalProcessorMachine } from './terminal-processor.machine-kit.js';

export type { ProcessorInput } from './terminal-processor.machine-kit.js';

/**
 * The user processor [1475]: receives verified requests from mobile user terminals. Remote access to data the service
 * provider holds is answered at once (5601); data held by another party opens a process group with a service director.
 */
export const userProcessorMachine = createTerminalProcessorMachine('userProcessor');
