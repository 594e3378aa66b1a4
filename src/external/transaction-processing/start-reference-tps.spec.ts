// Proves startReferenceTps fails fast and cleanly: a key pair that does not match or a database that cannot open rejects the start instead of aborting the process, and a started TPS closes twice without harm.
import { generatePrincipalKeys } from '../../protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../protocol/crypto/node-backend.js';
import { ids } from '../../protocol/ids.js';
import { startReferenceTps } from './start-reference-tps.js';
import type { ReferenceTpsOptions } from './tps-options.js';

const crypto = new NodeCryptoBackend();
const sp = generatePrincipalKeys(crypto);

function options(overrides: Partial<ReferenceTpsOptions> = {}): ReferenceTpsOptions {
  return {
    id: ids.tps('clearing-bank'),
    keys: generatePrincipalKeys(crypto),
    serviceProvider: { id: ids.sp('tessera'), signingPublicKey: sp.signing.publicKey, sealingPublicKey: sp.sealing.publicKey },
    database: { type: 'sqlite', database: ':memory:' },
    port: 0,
    logger: false,
    ...overrides,
  };
}

it('rejects a signing key pair that does not match', async () => {
  const keys = generatePrincipalKeys(crypto);
  const other = generatePrincipalKeys(crypto);
  await expect(startReferenceTps(options({ keys: { ...keys, signing: { ...keys.signing, publicKey: other.signing.publicKey } } }))).rejects.toThrow('signing key pair');
});

it('rejects a database that cannot be opened', async () => {
  await expect(startReferenceTps(options({ database: { type: 'sqlite', database: '/dev/null/tps.sqlite' } }))).rejects.toThrow();
});

it('starts on a free port and closes twice without harm', async () => {
  const tps = await startReferenceTps(options());
  expect(tps.port).toBeGreaterThan(0);
  expect(await tps.readModel.trialBalance()).toMatchObject({ balanced: true, entryCount: 0 });
  await tps.close();
  await expect(tps.close()).resolves.toBeUndefined();
});
