// The SP's external gateway over Nest TCP: requests an issuer starts are verified (registered signer, sealed to the SP,
// fresh, not replayed), routed durably and acknowledged with a sealed receipt; anything else is refused with a typed
// error and an audit record, and reaches no actor.
import { generatePrincipalKeys } from '../../src/protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../src/protocol/crypto/node-backend.js';
import { ids, type PrincipalId } from '../../src/protocol/ids.js';
import { remoteDataRequest } from '../../src/core/remote-access.messages.js';
import { externalReceipt } from '../../src/core/external-inbound.messages.js';
import { ExternalPartyClient, ExternalPartyError } from '../../src/external/transport/index.js';
import { ActorSnapshotEntity } from '../../src/persistence/entities/index.js';
import type { FieldsOf } from '../../src/protocol/message.js';
import { TestWorld } from '../helpers/world.js';

const crypto = new NodeCryptoBackend();
const ISSUER = ids.issuer('ticket', 'inbound-test');

describe('external gateway', () => {
  let world: TestWorld;
  let client: ExternalPartyClient;
  const keys = generatePrincipalKeys(crypto);

  beforeAll(async () => {
    world = await TestWorld.create();
    await world.platform.identity.registerParty(ISSUER, 'issuer', 'Inbound test issuer', { signingPublicKey: keys.signing.publicKey, sealingPublicKey: keys.sealing.publicKey });
    client = new ExternalPartyClient(world.platform.inboundAddress);
  });
  afterAll(async () => {
    await client.close();
    await world.close();
  });

  function frame(signingKey = keys.signing.secretKey, from: PrincipalId = ISSUER): Uint8Array {
    const { codec, spId, identity } = world.platform;
    return codec.compose(remoteDataRequest, { from, to: spId, fields: { dataAddress: `${spId}/x` } }, [{ kid: from, secretKey: signingKey }], identity.sp.keys.sealing.publicKey).bytes;
  }

  async function refusalOf(bytes: Uint8Array): Promise<string | undefined> {
    try {
      await client.exchange(bytes, 5000);
      return undefined;
    } catch (error) {
      if (error instanceof ExternalPartyError) return error.refusal;
      throw error;
    }
  }

  it('refuses a message type no route takes, and audits it', async () => {
    expect(await refusalOf(frame())).toBe('unknown-type');
    const audits = await world.platform.audit.list(5, 'refusal');
    expect(audits.some((row) => row.transport === 'external' && row.reason === 'unknown-type' && row.principal === ISSUER)).toBe(true);
  });

  it('refuses a forged signature and an unknown sender', async () => {
    expect(await refusalOf(frame(generatePrincipalKeys(crypto).signing.secretKey))).toBe('bad-signature');
    const stranger = generatePrincipalKeys(crypto);
    expect(await refusalOf(frame(stranger.signing.secretKey, ids.issuer('ticket', 'stranger')))).toBe('unknown-principal');
  });

  it('routes an accepted request durably, answers with a sealed receipt, and refuses its replay', async () => {
    const pg = 'txn:inbound-test:one';
    world.platform.externalGateway.addRoutes({
      messageType: remoteDataRequest.type,
      route: async (verified) => ({ actorId: 'processor:ticket-issuer', kind: 'ticket-issuer-processor', input: { spId: world.platform.spId }, processGroup: pg, event: { type: 'inbound.test', pg, from: verified.message.from } }),
    });
    const bytes = frame();
    const reply = await client.exchange(bytes, 5000);
    const { message } = await world.platform.codec.receive(
      reply,
      { id: ISSUER, sealingSecretKey: keys.sealing.secretKey, sealingPublicKey: keys.sealing.publicKey },
      { signingKey: () => ({ usable: true, holder: world.platform.spId, publicKey: world.platform.identity.sp.keys.signing.publicKey }) },
      { remember: () => true },
    );
    expect(message.type).toBe(externalReceipt.type);
    expect(message.fields as FieldsOf<typeof externalReceipt>).toEqual({ accepted: true, processGroup: pg, reason: null });
    const snapshot = await world.platform.dataSource.getRepository(ActorSnapshotEntity).findOneBy({ actorId: 'processor:ticket-issuer' });
    expect(snapshot).not.toBeNull();
    expect(await refusalOf(bytes)).toBe('replay');
  });
});
