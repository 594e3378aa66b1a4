import { createExternalProcessorMachine } from './external-processor.machine-kit.js';

/** The payment-card issuer processor: the service providing system's side of every payment-card issuing system. */
export const paymentCardIssuerProcessorMachine = createExternalProcessorMachine('paymentCardIssuerProcessor');
