import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateKeyFile } from '../../../identity/key-file.js';
import { ids } from '../../../protocol/ids.js';
import type { ReferenceIssuingSystem } from '../../plugin.contract.js';
import { DEFAULT_CATALOGUE, type CatalogueEvent } from './issuer-catalogue.js';
import { DEFAULT_ISSUER_POLICY, type IssuerPolicy } from './issuer-options.js';
import { startReferenceTicketIssuer } from './start-reference-ticket-issuer.js';

export const REFERENCE_TICKET_ISSUER_ID = ids.issuer('ticket', 'acme');

export interface ReferenceTicketIssuerSettings {
  readonly catalogue?: readonly CatalogueEvent[];
  readonly policy?: Partial<IssuerPolicy>;
}

/**
 * The ticket service's reference issuing system: its own key file (`<dataDir>/acme.keys.json`), its own `tis_*` tables
 * in `<dataDir>/acme.sqlite` or in the platform's PostgreSQL database, on a free port.
 */
export function referenceTicketIssuingSystem(settings: ReferenceTicketIssuerSettings = {}): ReferenceIssuingSystem {
  return {
    partyId: REFERENCE_TICKET_ISSUER_ID,
    description: 'Reference ticket issuing system (events, seats, customer tables, clearing options)',
    start: async (context) => {
      mkdirSync(context.dataDir, { recursive: true });
      const identity = loadOrCreateKeyFile(join(context.dataDir, 'acme.keys.json'), REFERENCE_TICKET_ISSUER_ID, context.crypto);
      return startReferenceTicketIssuer({
        id: REFERENCE_TICKET_ISSUER_ID,
        displayName: 'Acme Tickets (reference ticket issuing system)',
        keys: identity.keys,
        serviceProvider: context.serviceProvider,
        database: context.databaseUrl === null ? { type: 'sqlite', database: join(context.dataDir, 'acme.sqlite') } : { type: 'postgres', url: context.databaseUrl },
        clock: context.clock,
        crypto: context.crypto,
        maxSkewMs: context.maxSkewMs,
        tpsId: context.tpsId,
        catalogue: settings.catalogue ?? DEFAULT_CATALOGUE,
        policy: { ...DEFAULT_ISSUER_POLICY, ...settings.policy },
        port: 0,
        serviceProviderAddress: context.serviceProviderAddress,
        logger: false,
      });
    },
  };
}
