import type { TpsId } from '../../protocol/ids.js';
import { startTcpMicroservice } from '../transport/tcp-microservice.js';
import { TransactionProcessingModule } from './transaction-processing.module.js';
import type { ReferenceTpsOptions } from './tps-options.js';
import { TpsReadModel } from './tps-read-model.js';

/** A running reference TPS. */
export interface ReferenceTps {
  readonly id: TpsId;
  readonly host: string;
  /** The bound port (the OS's choice when the options said 0). */
  readonly port: number;
  /** What the SP needs to verify and seal to this TPS. */
  readonly publicKeys: { readonly signing: Uint8Array; readonly sealing: Uint8Array };
  /** Balances and the trial balance, for tests and the SP operator's view. */
  readonly readModel: TpsReadModel;
  /** Stops listening, lets the ledger finish what it started, closes the database. */
  close(): Promise<void>;
}

/**
 * Starts the reference transaction processing system in-process, as its own Nest TCP microservice with its own
 * database, speaking sealed Tessera frames on the `tessera.frame` pattern (reach it with an ExternalPartyClient).
 *
 * Options (ReferenceTpsOptions):
 * - `id`: the TPS's identity, `tps:<name>`; `keys`: its PrincipalKeys (Ed25519 signing, X25519 sealing);
 * - `serviceProvider`: `{ id, signingPublicKey, sealingPublicKey }` of the only party it takes requests from;
 * - `database`: `{ type: 'sqlite', database: path | ':memory:' }` or `{ type: 'postgres', url, schema? }`;
 *   migrations run at start (table `tps_migrations`), every table is `tps_*`;
 * - `host` (default 127.0.0.1) and `port` (0 for a free one);
 * - `clock`, `crypto`, `maxSkewMs` (default 5 min), `logger` (Nest's; `false` silences it).
 *
 * Rejects when the database cannot be opened or the port cannot be bound.
 *
 * @example
 * const tps = await startReferenceTps({ id: ids.tps('bank'), keys, serviceProvider, database: { type: 'sqlite', database: 'data/tps.sqlite' }, port: 0 });
 * const client = new ExternalPartyClient({ host: tps.host, port: tps.port });
 */
export async function startReferenceTps(options: ReferenceTpsOptions): Promise<ReferenceTps> {
  const host = options.host ?? '127.0.0.1';
  const { app, port } = await startTcpMicroservice(TransactionProcessingModule.forRoot(options), {
    host,
    port: options.port,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  return {
    id: options.id,
    host,
    port,
    publicKeys: { signing: options.keys.signing.publicKey, sealing: options.keys.sealing.publicKey },
    readModel: app.get(TpsReadModel),
    close: () => app.close(),
  };
}
