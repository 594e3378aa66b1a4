import { createExternalProcessorMachine } from './external-processor.machine-kit.js';

/** The transaction-processor processor: the service providing system's side of the transaction processing system. */
export const transactionProcessorProcessorMachine = createExternalProcessorMachine('transactionProcessorProcessor');
