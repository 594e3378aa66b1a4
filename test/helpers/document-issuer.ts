import { systemClock } from '../../src/common/clock.js';
import { REMOTE_ACCESS_MESSAGES, remoteDataResponse } from '../../src/core/remote-access.messages.js';
import { startExternalPartyServer, type ExternalPartyServer } from '../../src/external/transport/index.js';
import { MessageCodec } from '../../src/protocol/codec.js';
import { generatePrincipalKeys } from '../../src/protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../src/protocol/crypto/node-backend.js';
import { Envelope } from '../../src/protocol/envelope.js';
import type { IssuerId } from '../../src/protocol/ids.js';
import { MessageRegistry } from '../../src/protocol/message-registry.js';
import type { TestWorld } from './world.js';

/**
 * A ticket issuing system that holds one document and answers remote data requests for it, enrolled with the world's
 * service providing system: remote access to it goes through a service director (as in the remote access tests).
 */
export async function startDocumentIssuer(world: TestWorld, issuerId: IssuerId, text: string, onServed: () => void = () => undefined): Promise<ExternalPartyServer> {
  const keys = generatePrincipalKeys(new NodeCryptoBackend());
  const codec = new MessageCodec(new Envelope(new NodeCryptoBackend()), new MessageRegistry().register(...REMOTE_ACCESS_MESSAGES), systemClock, { maxSkewMs: 300_000, numberRetentionMs: 86_400_000 });
  const sp = world.platform.identity.sp;
  const seen = new Set<string>();
  const server = await startExternalPartyServer(
    async (frame) => {
      const verified = await codec.receive(
        frame,
        { id: issuerId, sealingSecretKey: keys.sealing.secretKey, sealingPublicKey: keys.sealing.publicKey },
        { signingKey: (kid) => (kid === sp.id ? { usable: true, publicKey: sp.keys.signing.publicKey, holder: kid } : { usable: false, reason: 'unknown-principal' }) },
        { remember: (scope, key) => !seen.has(`${scope}/${key}`) && Boolean(seen.add(`${scope}/${key}`)) },
      );
      const fields = verified.message.fields as { dataAddress: string };
      onServed();
      return codec.compose(
        remoteDataResponse,
        { from: issuerId, to: sp.id, re: verified.message.id, fields: { dataAddress: fields.dataAddress, found: true, contentType: 'text/plain', data: new TextEncoder().encode(text) } },
        [{ kid: issuerId, secretKey: keys.signing.secretKey }],
        sp.keys.sealing.publicKey,
      ).bytes;
    },
    { host: '127.0.0.1', port: 0, logger: false },
  );
  await world.platform.identity.registerParty(issuerId, 'issuer', 'Document issuer', { signingPublicKey: keys.signing.publicKey, sealingPublicKey: keys.sealing.publicKey });
  world.platform.external.register(issuerId, { host: '127.0.0.1', port: server.port });
  return server;
}
