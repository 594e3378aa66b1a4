import { join } from 'node:path';
import { loadOrCreateKeyFile } from '../identity/key-file.js';
import { startReferenceTps } from '../external/transaction-processing/start-reference-tps.js';
import { transactionProcessingRequests, transactionProcessingResponses } from '../external/transaction-processing/tps-messages.js';
import { ids, type TpsId } from '../protocol/ids.js';
import type { Platform } from './platform.js';

export const TPS_MESSAGES = [...transactionProcessingRequests, ...transactionProcessingResponses];

/**
 * The transaction processing system the platform clears with: the reference one started beside it (its own key
 * file and its own `tps_*` tables), or an external one at `external.tps.url` whose keys an operator registered.
 */
export async function attachTransactionProcessing(platform: Platform): Promise<{ id: TpsId; close(): Promise<void> }> {
  const { config } = platform;
  const id = ids.tps(config.external.tps.name);
  if (config.external.tps.url !== null) {
    const url = new URL(config.external.tps.url);
    platform.external.register(id, { host: url.hostname, port: Number(url.port) });
    return { id, close: async () => undefined };
  }
  const identity = loadOrCreateKeyFile(join(config.dataDir, 'keys', 'tps.json'), id, platform.crypto);
  const sp = platform.identity.sp;
  const tps = await startReferenceTps({
    id,
    keys: identity.keys,
    serviceProvider: { id: sp.id, signingPublicKey: sp.keys.signing.publicKey, sealingPublicKey: sp.keys.sealing.publicKey },
    database: config.database.url === null ? { type: 'sqlite', database: join(config.dataDir, 'tps.sqlite') } : { type: 'postgres', url: config.database.url },
    clock: platform.clock,
    crypto: platform.crypto,
    maxSkewMs: config.protocol.maxSkewMs,
    host: '127.0.0.1',
    port: config.external.tps.embeddedPort,
    logger: false,
  });
  const known = await platform.identity.signingKey(id, platform.clock.now());
  if (!known.usable) {
    await platform.identity.registerParty(id, 'tps', 'Reference transaction processing system', { signingPublicKey: identity.keys.signing.publicKey, sealingPublicKey: identity.keys.sealing.publicKey });
  }
  platform.external.register(id, { host: tps.host, port: tps.port });
  return { id, close: () => tps.close() };
}
