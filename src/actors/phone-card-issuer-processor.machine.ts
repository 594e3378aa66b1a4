import { createExternalProcessorMachine } from './external-processor.machine-kit.js';

/** The telephone-card issuer processor: the service providing system's side of every telephone-card issuing system. */
export const phoneCardIssuerProcessorMachine = createExternalProcessorMachine('phoneCardIssuerProcessor');
