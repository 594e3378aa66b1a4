import { startTcpMicroservice } from '../../../external/transport/tcp-microservice.js';
import type { RunningIssuer } from '../../plugin.contract.js';
import { issuerClearingAccount, type ReferenceTicketIssuerOptions } from './issuer-options.js';
import { IssuerDatabase } from './issuer-database.js';
import { IssuerOperator } from './issuer-operator.js';
import { IssuerReadModel } from './issuer-read-model.js';
import { TicketIssuerModule } from './ticket-issuer.module.js';

/** A running reference ticket issuing system: what the platform needs, plus its read model for tests and the demo. */
export interface RunningTicketIssuer extends RunningIssuer {
  readonly readModel: IssuerReadModel;
  /** Its clearing account at the transaction processor. */
  readonly clearingAccount: string;
  /** The issuer's staff: installation cards, event modifications (issuer-operator.ts). */
  readonly operator: IssuerOperator;
}

/**
 * Starts the reference ticket issuing system in-process, as its own Nest TCP microservice with its own database,
 * speaking sealed Tessera frames (reach it with an ExternalPartyClient). Rejects when the database cannot be opened
 * or the port cannot be bound.
 */
export async function startReferenceTicketIssuer(options: ReferenceTicketIssuerOptions): Promise<RunningTicketIssuer> {
  const host = options.host ?? '127.0.0.1';
  const { app, port } = await startTcpMicroservice(TicketIssuerModule.forRoot(options), { host, port: options.port, ...(options.logger === undefined ? {} : { logger: options.logger }) });
  let closed = false;
  return {
    partyId: options.id,
    displayName: options.displayName,
    host,
    port,
    publicKeys: { signing: options.keys.signing.publicKey, sealing: options.keys.sealing.publicKey },
    readModel: app.get(IssuerReadModel),
    clearingAccount: issuerClearingAccount(options.id),
    operator: new IssuerOperator(options, app.get(IssuerDatabase), options.serviceProviderAddress),
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}
