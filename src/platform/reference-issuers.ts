import { join } from 'node:path';
import type { RunningIssuer } from '../plugins/plugin.contract.js';
import type { Platform } from './platform.js';

/**
 * Starts the reference issuing system of every enabled plugin whose issuer `external.parties` does not place
 * elsewhere, registers it as a party (its keys, on first start) and tells the external directory where it listens.
 */
export async function attachReferenceIssuers(platform: Platform): Promise<{ issuers: readonly RunningIssuer[]; close(): Promise<void> }> {
  const { config } = platform;
  const started: RunningIssuer[] = [];
  const sp = platform.identity.sp;
  for (const plugin of platform.plugins) {
    const reference = plugin.descriptor.referenceIssuingSystem;
    if (reference === undefined || config.external.parties[reference.partyId] !== undefined || platform.tpsId === undefined) continue;
    const issuer = await reference.start({
      dataDir: join(config.dataDir, 'issuers'),
      databaseUrl: config.database.url,
      serviceProvider: { id: sp.id, signingPublicKey: sp.keys.signing.publicKey, sealingPublicKey: sp.keys.sealing.publicKey },
      serviceProviderAddress: platform.inboundAddress,
      clock: platform.clock,
      crypto: platform.crypto,
      maxSkewMs: config.protocol.maxSkewMs,
      tpsId: platform.tpsId,
    });
    started.push(issuer);
    const known = await platform.identity.signingKey(issuer.partyId, platform.clock.now());
    if (!known.usable) {
      await platform.identity.registerParty(issuer.partyId, 'issuer', issuer.displayName, { signingPublicKey: issuer.publicKeys.signing, sealingPublicKey: issuer.publicKeys.sealing });
    }
    platform.external.register(issuer.partyId, { host: issuer.host, port: issuer.port });
  }
  return { issuers: started, close: async () => void (await Promise.all(started.map((issuer) => issuer.close()))) };
}
