import type { ServiceDescriptor } from '../plugin.contract.js';

/** Electronic payment card service: purchase, registration, micro-check payment at accounting machines and merchant terminals, reference, transfer. */
export const paymentCardService: ServiceDescriptor = {
  code: 'payment-card',
  description: 'Electronic payment card service: purchase, registration, micro-check payment at accounting machines and merchant terminals, reference, transfer.',
  messages: [],
  machines: [],
  inboundRoutes: [],
  terminalModules: [{ moduleId: 'payment-card.clearing', version: '1', deviceKinds: ['vending', 'merchant'], description: 'Card clearing module' }],
  entities: [],
  migrations: [],
};
