// Proves the TPS's inbound path without a network: answers are sealed to the SP, signed by the TPS and tied to the request; frames from strangers, in the clear or of types the TPS does not take are refused with a typed reason and move nothing.
import { ManualClock } from '../../common/clock.js';
import { MessageCodec, type KeyDirectory } from '../../protocol/codec.js';
import { generatePrincipalKeys } from '../../protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../protocol/crypto/node-backend.js';
import { Envelope } from '../../protocol/envelope.js';
import { ids } from '../../protocol/ids.js';
import { MessageRegistry } from '../../protocol/message-registry.js';
import { createTpsFrameHandler } from './create-tps-frame-handler.js';
import { Ledger } from './ledger/ledger.js';
import { TpsDatabase } from './ledger/tps-database.js';
import type { TpsFrameHandler } from './tps-frame-handler.js';
import { accountOpenRequest, accountOpenResponse, clearingRequest, clearingResponse, transactionProcessingResponses } from './tps-messages.js';
import { TpsReadModel } from './tps-read-model.js';

const crypto = new NodeCryptoBackend();
const SP = ids.sp('tessera');
const TPS = ids.tps('clearing-bank');
const spKeys = generatePrincipalKeys(crypto);
const tpsKeys = generatePrincipalKeys(crypto);
const clock = new ManualClock();
const spCodec = new MessageCodec(new Envelope(crypto), new MessageRegistry().register(...transactionProcessingResponses), clock, { maxSkewMs: 60_000, numberRetentionMs: 60_000 });
const tpsKeysForSp: KeyDirectory = { signingKey: (kid) => (kid === TPS ? { usable: true, publicKey: tpsKeys.signing.publicKey, holder: TPS } : { usable: false, reason: 'unknown-principal' }) };
const spMe = { id: SP, sealingSecretKey: spKeys.sealing.secretKey, sealingPublicKey: spKeys.sealing.publicKey };

let db: TpsDatabase;
let sut: TpsFrameHandler;

const opening = { requestNumber: 'open-1', account: 'alice', owner: ids.user('alice'), currency: 'JPY', kind: 'customer', creditLimit: 0, initialFunding: 1_000 } as const;

beforeEach(async () => {
  db = await TpsDatabase.open({ type: 'sqlite', database: ':memory:' });
  const options = { id: TPS, keys: tpsKeys, serviceProvider: { id: SP, signingPublicKey: spKeys.signing.publicKey, sealingPublicKey: spKeys.sealing.publicKey }, database: { type: 'sqlite', database: ':memory:' }, clock } as const;
  sut = createTpsFrameHandler(options, crypto, new Ledger(db, clock, TPS));
});

afterEach(async () => {
  await db.close();
});

it('answers with a message sealed to the SP, signed by the TPS, naming the request and its process group', async () => {
  const { bytes, message } = spCodec.compose(accountOpenRequest, { from: SP, to: TPS, pg: 'txn:ticket-purchase:p1', fields: opening }, [{ kid: SP, secretKey: spKeys.signing.secretKey }], tpsKeys.sealing.publicKey);
  const reply = await spCodec.receive(await sut.handle(bytes), spMe, tpsKeysForSp, { remember: () => true });
  expect(reply).toMatchObject({ sealed: true, signers: [TPS], message: { type: accountOpenResponse.type, from: TPS, to: SP, re: message.id, pg: 'txn:ticket-purchase:p1' } });
  expect(reply.message.fields).toEqual({ requestNumber: 'open-1', account: 'alice', result: 'opened', balance: { amount: 1_000, currency: 'JPY' } });
});

it.each([
  [
    'a request from a principal the TPS does not know',
    () => {
      const mallory = generatePrincipalKeys(crypto);
      return spCodec.compose(accountOpenRequest, { from: ids.user('mallory'), to: TPS, fields: opening }, [{ kid: ids.user('mallory'), secretKey: mallory.signing.secretKey }], tpsKeys.sealing.publicKey).bytes;
    },
    'unknown-principal',
  ],
  ['a request in the clear', () => new Envelope(crypto).sign(accountOpenRequest.type, { v: 1, type: accountOpenRequest.type, id: '0'.repeat(32), from: SP, to: TPS, issuedAt: clock.now(), fields: opening }, [{ kid: SP, secretKey: spKeys.signing.secretKey }]), 'schema'],
  [
    'a message type the TPS does not take',
    () => spCodec.compose(clearingResponse, { from: SP, to: TPS, fields: { requestNumber: 'r', transactionNumber: 't', result: 'refused', refusal: 'conflict' } }, [{ kid: SP, secretKey: spKeys.signing.secretKey }], tpsKeys.sealing.publicKey).bytes,
    'unknown-type',
  ],
  [
    'a request whose fields break the schema',
    () => spCodec.compose(clearingRequest, { from: SP, to: TPS, fields: { requestNumber: 'r', transactionNumber: 't', payer: 'alice', payee: 'bob', amount: { amount: 1.5, currency: 'JPY' }, description: '' } }, [{ kid: SP, secretKey: spKeys.signing.secretKey }], tpsKeys.sealing.publicKey).bytes,
    'schema',
  ],
])('refuses %s and changes nothing', async (_name, frame, reason) => {
  await expect(sut.handle(frame())).rejects.toMatchObject({ name: 'ProtocolError', reason });
  expect(await new TpsReadModel(db).trialBalance()).toMatchObject({ balanced: true, entryCount: 0 });
});
