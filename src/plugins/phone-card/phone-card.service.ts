import type { ServiceDescriptor } from '../plugin.contract.js';

/** Electronic telephone card service: purchase, registration, telephone micro-check at the switching center, reference [1463]. */
export const phoneCardService: ServiceDescriptor = {
  code: 'phone-card',
  description: 'Electronic telephone card service: purchase, registration, telephone micro-check at the switching center, reference [1463].',
  messages: [],
  machines: [],
  inboundRoutes: [],
  terminalModules: [{ moduleId: 'phone-card.clearing', version: '1', deviceKinds: ['phone-accounting'], description: 'Telephone card clearing module' }],
  entities: [],
  migrations: [],
};
