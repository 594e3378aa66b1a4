import { createExternalProcessorMachine } from './external-processor.machine-kit.js';

/** The ticket issuer processor: the service providing system's side of every ticket issuing system. */
export const ticketIssuerProcessorMachine = createExternalProcessorMachine('ticketIssuerProcessor');
