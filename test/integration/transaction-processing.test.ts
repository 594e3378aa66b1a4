// Proves the reference TPS end to end over Nest TCP: accounts opened, a price cleared, a resend answered without moving money twice, a refund, a batch, forged and misaddressed frames refused with nothing changed, and a zero trial balance — on SQLite, and on PostgreSQL when TESSERA_TEST_DATABASE_URL is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { z } from 'zod';
import { systemClock } from '../../src/common/clock.js';
import { MessageCodec, type KeyDirectory, type ReplayGuard } from '../../src/protocol/codec.js';
import { generatePrincipalKeys } from '../../src/protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../src/protocol/crypto/node-backend.js';
import { Envelope } from '../../src/protocol/envelope.js';
import { ids } from '../../src/protocol/ids.js';
import { MessageRegistry } from '../../src/protocol/message-registry.js';
import type { MessageDefinition } from '../../src/protocol/message.js';
import {
  accountOpenRequest,
  accountOpenResponse,
  clearingBatchRequest,
  clearingBatchResponse,
  clearingRequest,
  clearingResponse,
  refundClearingRequest,
  refundClearingResponse,
  startReferenceTps,
  transactionProcessingResponses,
  type AccountOpenFields,
  type ClearingItem,
  type ReferenceTps,
  type TpsDatabaseOptions,
} from '../../src/external/transaction-processing/index.js';
import { ExternalPartyClient, ExternalPartyError } from '../../src/external/transport/index.js';

const crypto = new NodeCryptoBackend();
const SP = ids.sp('tessera');
const TPS = ids.tps('clearing-bank');
const TIMEOUT_MS = 5000;

interface DatabaseCase {
  readonly name: string;
  readonly open: () => Promise<{ options: TpsDatabaseOptions; dispose: () => Promise<void> }>;
}

const sqliteCase: DatabaseCase = {
  name: 'sqlite',
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tps-it-'));
    return { options: { type: 'sqlite', database: join(dir, 'tps.sqlite') }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

/** A fresh schema per run keeps runs repeatable and leaves whatever else the database holds alone. */
function postgresCase(url: string): DatabaseCase {
  return {
    name: 'postgres',
    open: async () => {
      const schema = `tps_it_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      return {
        options: { type: 'postgres', url, schema },
        dispose: async () => {
          const cleanup = new pg.Client({ connectionString: url });
          await cleanup.connect();
          await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
          await cleanup.end();
        },
      };
    },
  };
}

const databaseUrl = process.env['TESSERA_TEST_DATABASE_URL'];
const databases: DatabaseCase[] = databaseUrl ? [sqliteCase, postgresCase(databaseUrl)] : [sqliteCase];

describe.each(databases)('reference transaction processing system on $name', (database) => {
  const spKeys = generatePrincipalKeys(crypto);
  const tpsKeys = generatePrincipalKeys(crypto);
  const codec = new MessageCodec(new Envelope(crypto), new MessageRegistry().register(...transactionProcessingResponses), systemClock, { maxSkewMs: 60_000, numberRetentionMs: 120_000 });
  const tpsKeysForSp: KeyDirectory = {
    signingKey: (kid) => (kid === TPS ? { usable: true, publicKey: tpsKeys.signing.publicKey, holder: TPS } : { usable: false, reason: 'unknown-principal' }),
  };
  const seen = new Set<string>();
  const spReplay: ReplayGuard = { remember: (scope, key) => !seen.has(`${scope}|${key}`) && Boolean(seen.add(`${scope}|${key}`)) };
  const spSigner = { kid: SP, secretKey: spKeys.signing.secretKey };

  let tps: ReferenceTps;
  let client: ExternalPartyClient;
  let dispose: () => Promise<void>;
  let sequence = 0;
  const next = (prefix: string) => `${prefix}-${++sequence}`;

  /** Seals a request to the TPS, as the SP's transaction processor processor does. */
  function seal(definition: MessageDefinition, fields: unknown, signer = spSigner, to: typeof TPS = TPS, sealingKey = tpsKeys.sealing.publicKey) {
    return codec.compose(definition, { from: SP, to, fields }, [signer], sealingKey);
  }

  /** Sends a sealed frame and opens the TPS's sealed, signed answer with the SP's codec. */
  async function exchange<S extends z.ZodType>(frame: Uint8Array, requestId: string, response: MessageDefinition<string, S>): Promise<z.infer<S>> {
    const reply = await client.exchange(frame, TIMEOUT_MS);
    const verified = await codec.receive(reply, { id: SP, sealingSecretKey: spKeys.sealing.secretKey, sealingPublicKey: spKeys.sealing.publicKey }, tpsKeysForSp, spReplay);
    expect(verified).toMatchObject({ sealed: true, signers: [TPS], message: { type: response.type, from: TPS, to: SP, re: requestId } });
    return response.fields.parse(verified.message.fields);
  }

  async function ask<S extends z.ZodType>(request: MessageDefinition, fields: unknown, response: MessageDefinition<string, S>): Promise<z.infer<S>> {
    const { bytes, message } = seal(request, fields);
    return exchange(bytes, message.id, response);
  }

  async function refusalOf(frame: Uint8Array): Promise<ExternalPartyError> {
    const failure: unknown = await client.exchange(frame, TIMEOUT_MS).then(
      () => undefined,
      (error: unknown) => error,
    );
    if (!(failure instanceof ExternalPartyError)) throw new Error('expected the TPS to refuse the frame');
    return failure;
  }

  const open = (account: string, funding: number, kind: AccountOpenFields['kind'] = 'customer'): AccountOpenFields => ({
    requestNumber: next('open'),
    account,
    owner: kind === 'issuer' ? ids.issuer('ticket', 'acme') : ids.user(account),
    currency: 'JPY',
    kind,
    creditLimit: 0,
    initialFunding: funding,
  });
  const clearing = (payer: string, payee: string, amount: number): ClearingItem => ({
    requestNumber: next('req'),
    transactionNumber: next('txn'),
    payer,
    payee,
    amount: { amount, currency: 'JPY' },
    description: 'one adult ticket',
  });
  const balances = async () => ({
    alice: (await tps.readModel.balance('alice'))?.amount,
    bob: (await tps.readModel.balance('bob'))?.amount,
    issuer: (await tps.readModel.balance('iss-ticket-acme'))?.amount,
  });

  beforeAll(async () => {
    const opened = await database.open();
    dispose = opened.dispose;
    tps = await startReferenceTps({
      id: TPS,
      keys: tpsKeys,
      serviceProvider: { id: SP, signingPublicKey: spKeys.signing.publicKey, sealingPublicKey: spKeys.sealing.publicKey },
      database: opened.options,
      port: 0,
      logger: false,
    });
    client = new ExternalPartyClient({ host: tps.host, port: tps.port });
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await tps?.close();
    await dispose?.();
  });

  it('listens on an ephemeral port', () => {
    expect(tps.port).toBeGreaterThan(0);
  });

  it('opens funded accounts', async () => {
    expect(await ask(accountOpenRequest, open('alice', 10_000), accountOpenResponse)).toMatchObject({ result: 'opened', balance: { amount: 10_000, currency: 'JPY' } });
    expect(await ask(accountOpenRequest, open('bob', 1_000), accountOpenResponse)).toMatchObject({ result: 'opened' });
    expect(await ask(accountOpenRequest, open('iss-ticket-acme', 0, 'issuer'), accountOpenResponse)).toMatchObject({ result: 'opened' });
    expect(await balances()).toEqual({ alice: 10_000, bob: 1_000, issuer: 0 });
  });

  it('clears a price, and answers a resend the same without moving money twice', async () => {
    const request = clearing('alice', 'iss-ticket-acme', 2_500);
    const { bytes, message } = seal(clearingRequest, request);
    const cleared = await exchange(bytes, message.id, clearingResponse);
    expect(cleared).toMatchObject({ result: 'cleared', requestNumber: request.requestNumber, transactionNumber: request.transactionNumber });
    // The same frame again (a resend after a lost answer), and the same request in a new message.
    expect(await exchange(bytes, message.id, clearingResponse)).toEqual(cleared);
    expect(await ask(clearingRequest, request, clearingResponse)).toEqual(cleared);
    expect(await balances()).toEqual({ alice: 7_500, bob: 1_000, issuer: 2_500 });
  });

  it('refuses a reused request number with other content, and an overdraft', async () => {
    const request = clearing('bob', 'iss-ticket-acme', 400);
    expect(await ask(clearingRequest, request, clearingResponse)).toMatchObject({ result: 'cleared' });
    expect(await ask(clearingRequest, { ...request, amount: { amount: 40, currency: 'JPY' } }, clearingResponse)).toMatchObject({ result: 'refused', refusal: 'conflict' });
    expect(await ask(clearingRequest, clearing('bob', 'iss-ticket-acme', 601), clearingResponse)).toMatchObject({ result: 'refused', refusal: 'insufficient-funds' });
    expect(await balances()).toEqual({ alice: 7_500, bob: 600, issuer: 2_900 });
  });

  it('refunds part of a clearing, and no more than was cleared', async () => {
    const original = clearing('alice', 'iss-ticket-acme', 1_000);
    await ask(clearingRequest, original, clearingResponse);
    const refund = (amount: number) => ({ requestNumber: next('refund'), transactionNumber: original.transactionNumber, amount: { amount, currency: 'JPY' } });
    expect(await ask(refundClearingRequest, refund(600), refundClearingResponse)).toMatchObject({ result: 'cleared', refundable: { amount: 400, currency: 'JPY' } });
    expect(await ask(refundClearingRequest, refund(401), refundClearingResponse)).toMatchObject({ result: 'refused', refusal: 'exceeds-cleared' });
    expect(await balances()).toEqual({ alice: 7_100, bob: 600, issuer: 3_300 });
  });

  it('clears a delayed batch item by item in one answer', async () => {
    const batch = { requestNumber: next('batch'), items: [clearing('alice', 'iss-ticket-acme', 100), clearing('bob', 'iss-ticket-acme', 5_000), clearing('alice', 'nobody', 1)] };
    const outcome = await ask(clearingBatchRequest, batch, clearingBatchResponse);
    expect(outcome.result === 'processed' && outcome.results.map((item) => (item.result === 'cleared' ? item.result : item.refusal))).toEqual(['cleared', 'insufficient-funds', 'unknown-account']);
    expect(await ask(clearingBatchRequest, batch, clearingBatchResponse)).toEqual(outcome);
    expect(await balances()).toEqual({ alice: 7_000, bob: 600, issuer: 3_400 });
  });

  it('refuses forged, misaddressed, undecryptable, stale and garbled frames, changing nothing', async () => {
    const before = await balances();
    const intruder = generatePrincipalKeys(crypto);
    const request = () => clearing('alice', 'iss-ticket-acme', 1_000);
    const forged = seal(clearingRequest, request(), { kid: SP, secretKey: intruder.signing.secretKey }).bytes;
    const elsewhere = seal(clearingRequest, request(), spSigner, ids.tps('another-bank'), intruder.sealing.publicKey).bytes;
    const wrongKey = seal(clearingRequest, request(), spSigner, TPS, intruder.sealing.publicKey).bytes;
    const stale = codec.compose(clearingRequest, { from: SP, to: TPS, fields: request(), issuedAt: Date.now() - 3_600_000 }, [spSigner], tpsKeys.sealing.publicKey).bytes;
    expect(await refusalOf(forged)).toMatchObject({ kind: 'refused', refusal: 'bad-signature' });
    expect(await refusalOf(elsewhere)).toMatchObject({ kind: 'refused', refusal: 'wrong-addressee' });
    expect(await refusalOf(wrongKey)).toMatchObject({ kind: 'refused', refusal: 'undecryptable' });
    expect(await refusalOf(stale)).toMatchObject({ kind: 'refused', refusal: 'stale' });
    expect(await refusalOf(new Uint8Array([0xde, 0xad, 0xbe, 0xef]))).toMatchObject({ kind: 'refused', refusal: 'malformed' });
    expect(await balances()).toEqual(before);
  });

  it('ends with every entry balanced and a trial balance of zero', async () => {
    const trial = await tps.readModel.trialBalance();
    expect(trial.entryCount).toBeGreaterThan(0);
    expect(trial).toEqual({ balanced: true, totals: { JPY: 0 }, unbalancedEntries: [], cacheMismatches: [], entryCount: trial.entryCount, postingCount: trial.entryCount * 2 });
  });
});
