// Proves the TPS ledger: double entry with derived balances, answers given once per request number (resend, conflict), credit limits, refund limits and a mixed clearing batch, on SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../common/clock.js';
import { InvariantError } from '../../../protocol/errors.js';
import { ids } from '../../../protocol/ids.js';
import type { AccountOpenFields, ClearingItem } from '../tps-messages.js';
import { TpsReadModel } from '../tps-read-model.js';
import { postEntry } from './journal.js';
import { Ledger, fundingAccountId } from './ledger.js';
import { TpsAccount } from './tps-account.entity.js';
import { TpsDatabase } from './tps-database.js';
import { TpsJournalEntry } from './tps-journal-entry.entity.js';

const SP = ids.sp('tessera');
const OTHER_SP = ids.sp('elsewhere');
const TPS = ids.tps('clearing-bank');

let db: TpsDatabase;
let clock: ManualClock;
let sut: Ledger;
let read: TpsReadModel;
let sequence = 0;

const next = (prefix: string) => `${prefix}-${++sequence}`;

function account(id: string, funding: number, overrides: Partial<AccountOpenFields> = {}): AccountOpenFields {
  return { requestNumber: next('open'), account: id, owner: ids.user(id), currency: 'JPY', kind: 'customer', creditLimit: 0, initialFunding: funding, ...overrides };
}

function clearing(payer: string, payee: string, amount: number, overrides: Partial<ClearingItem> = {}): ClearingItem {
  return { requestNumber: next('req'), transactionNumber: next('txn'), payer, payee, amount: { amount, currency: 'JPY' }, description: 'ticket', ...overrides };
}

async function balanceOf(id: string): Promise<number | undefined> {
  return (await read.balance(id))?.amount;
}

async function entryCount(): Promise<number> {
  return db.dataSource.getRepository(TpsJournalEntry).count();
}

async function expectBalanced(): Promise<void> {
  const trial = await read.trialBalance();
  expect(trial).toMatchObject({ balanced: true, unbalancedEntries: [], cacheMismatches: [] });
  for (const total of Object.values(trial.totals)) expect(total).toBe(0);
}

beforeEach(async () => {
  db = await TpsDatabase.open({ type: 'sqlite', database: ':memory:' });
  clock = new ManualClock();
  sut = new Ledger(db, clock, TPS);
  read = new TpsReadModel(db);
  await sut.openAccount(SP, account('alice', 10_000));
  await sut.openAccount(SP, account('bob', 500, { creditLimit: 1_000 }));
  await sut.openAccount(SP, account('iss-ticket', 0, { kind: 'issuer', owner: ids.issuer('ticket', 'acme') }));
});

afterEach(async () => {
  await db.close();
});

describe('schema', () => {
  it('creates only tps_ tables, by migration, matching the entities', async () => {
    const tables = await db.dataSource.query<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    expect(tables.map((table) => table.name).sort()).toEqual(['tps_accounts', 'tps_clearings', 'tps_journal_entries', 'tps_migrations', 'tps_postings', 'tps_requests']);
    const pending = await db.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('keeps a file database in WAL mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tps-ledger-'));
    const file = await TpsDatabase.open({ type: 'sqlite', database: join(dir, 'tps.sqlite') });
    try {
      expect(await file.dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    } finally {
      await file.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('opening accounts', () => {
  it('credits the initial funding against the currency funding account', async () => {
    expect(await balanceOf('alice')).toBe(10_000);
    expect(await balanceOf('bob')).toBe(500);
    expect(await balanceOf(fundingAccountId('JPY'))).toBe(-10_500);
    await expectBalanced();
  });

  it('answers a resent open once, refuses a taken ID and a reused request number', async () => {
    const request = account('carol', 300);
    const first = await sut.openAccount(SP, request);
    const entries = await entryCount();
    expect(await sut.openAccount(SP, request)).toEqual(first);
    expect(await sut.openAccount(SP, account('carol', 300))).toMatchObject({ result: 'refused', refusal: 'account-exists' });
    expect(await sut.openAccount(SP, { ...request, initialFunding: 999 })).toMatchObject({ result: 'refused', refusal: 'conflict' });
    expect(await entryCount()).toBe(entries);
    expect(await balanceOf('carol')).toBe(300);
  });
});

describe('clearing', () => {
  it('moves the amount from payer to payee in one balanced entry', async () => {
    const outcome = await sut.clear(SP, clearing('alice', 'iss-ticket', 2_500));
    expect(outcome).toMatchObject({ result: 'cleared', clearedAt: clock.now() });
    expect(await balanceOf('alice')).toBe(7_500);
    expect(await balanceOf('iss-ticket')).toBe(2_500);
    await expectBalanced();
  });

  it('answers a resent request with the stored answer and moves the money once', async () => {
    const request = clearing('alice', 'iss-ticket', 1_000);
    const first = await sut.clear(SP, request);
    clock.advance(60_000);
    expect(await sut.clear(SP, { ...request })).toEqual(first);
    expect(await balanceOf('alice')).toBe(9_000);
  });

  it('refuses a reused request number with other content, and moves nothing', async () => {
    const request = clearing('alice', 'iss-ticket', 1_000);
    await sut.clear(SP, request);
    const entries = await entryCount();
    expect(await sut.clear(SP, { ...request, amount: { amount: 9_000, currency: 'JPY' } })).toMatchObject({ result: 'refused', refusal: 'conflict' });
    expect(await entryCount()).toBe(entries);
    expect(await balanceOf('alice')).toBe(9_000);
  });

  it('keeps request numbers per sender', async () => {
    const request = clearing('alice', 'iss-ticket', 1_000);
    await sut.clear(SP, request);
    expect(await sut.clear(OTHER_SP, request)).toMatchObject({ result: 'cleared' });
    expect(await balanceOf('alice')).toBe(8_000);
  });

  it('clears a transaction number once, whatever the request number', async () => {
    const request = clearing('alice', 'iss-ticket', 1_000);
    await sut.clear(SP, request);
    expect(await sut.clear(SP, { ...request, requestNumber: next('req') })).toMatchObject({ result: 'refused', refusal: 'duplicate-transaction' });
    expect(await balanceOf('alice')).toBe(9_000);
  });

  it('lets the payer go below zero down to its credit limit, and no further', async () => {
    expect(await sut.clear(SP, clearing('bob', 'iss-ticket', 1_500))).toMatchObject({ result: 'cleared' });
    expect(await balanceOf('bob')).toBe(-1_000);
    const refused = clearing('bob', 'iss-ticket', 1);
    expect(await sut.clear(SP, refused)).toMatchObject({ result: 'refused', refusal: 'insufficient-funds' });
    expect(await balanceOf('bob')).toBe(-1_000);
    // The refusal is the stored answer to that request, even once funds would allow it.
    await sut.clear(SP, clearing('alice', 'bob', 5_000));
    expect(await sut.clear(SP, refused)).toMatchObject({ result: 'refused', refusal: 'insufficient-funds' });
    await expectBalanced();
  });

  it.each([
    ['an unknown payee', () => clearing('alice', 'nobody', 100), 'unknown-account'],
    ['a funding account', () => clearing(fundingAccountId('JPY'), 'alice', 100), 'unknown-account'],
    ['another currency', () => clearing('alice', 'iss-ticket', 100, { amount: { amount: 100, currency: 'EUR' } }), 'currency-mismatch'],
    ['one account on both sides', () => clearing('alice', 'alice', 100), 'same-account'],
    ['a lapsed validity term', () => clearing('alice', 'iss-ticket', 100, { validUntil: Date.UTC(2025, 11, 31) }), 'expired'],
  ])('refuses %s and moves nothing', async (_name, make, refusal) => {
    const entries = await entryCount();
    expect(await sut.clear(SP, make())).toMatchObject({ result: 'refused', refusal });
    expect(await entryCount()).toBe(entries);
    expect(await balanceOf('alice')).toBe(10_000);
  });

  it('stays within the limit when many clearings race for one payer', async () => {
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => sut.clear(SP, clearing('alice', 'iss-ticket', 1_000))));
    expect(outcomes.filter((outcome) => outcome.result === 'cleared')).toHaveLength(10);
    expect(await balanceOf('alice')).toBe(0);
    await expectBalanced();
  });

  it('moves the money once when one request arrives twice at the same time', async () => {
    const request = clearing('alice', 'iss-ticket', 1_000);
    const [a, b] = await Promise.all([sut.clear(SP, request), sut.clear(SP, request)]);
    expect(a).toEqual(b);
    expect(await balanceOf('alice')).toBe(9_000);
  });
});

describe('refund clearing', () => {
  it('pays back up to what was cleared, in parts, and no more', async () => {
    const original = clearing('alice', 'iss-ticket', 3_000);
    await sut.clear(SP, original);
    const refund = (amount: number) => ({ requestNumber: next('refund'), transactionNumber: original.transactionNumber, amount: { amount, currency: 'JPY' } });
    expect(await sut.refund(SP, refund(1_000))).toMatchObject({ result: 'cleared', refundable: { amount: 2_000, currency: 'JPY' } });
    expect(await sut.refund(SP, refund(2_001))).toMatchObject({ result: 'refused', refusal: 'exceeds-cleared' });
    expect(await sut.refund(SP, refund(2_000))).toMatchObject({ result: 'cleared', refundable: { amount: 0 } });
    expect(await sut.refund(SP, refund(1))).toMatchObject({ result: 'refused', refusal: 'exceeds-cleared' });
    expect(await balanceOf('alice')).toBe(10_000);
    expect(await balanceOf('iss-ticket')).toBe(0);
    await expectBalanced();
  });

  it('answers a resent refund once and refuses a reused number with another amount', async () => {
    const original = clearing('alice', 'iss-ticket', 3_000);
    await sut.clear(SP, original);
    const refund = { requestNumber: next('refund'), transactionNumber: original.transactionNumber, amount: { amount: 1_000, currency: 'JPY' } };
    const first = await sut.refund(SP, refund);
    expect(await sut.refund(SP, refund)).toEqual(first);
    expect(await sut.refund(SP, { ...refund, amount: { amount: 500, currency: 'JPY' } })).toMatchObject({ result: 'refused', refusal: 'conflict' });
    expect(await balanceOf('alice')).toBe(8_000);
  });

  it('refuses an unknown transaction, another sender\'s transaction, another currency and a payee without funds', async () => {
    const original = clearing('alice', 'iss-ticket', 3_000);
    await sut.clear(SP, original);
    const refund = (overrides: object) => ({ requestNumber: next('refund'), transactionNumber: original.transactionNumber, amount: { amount: 1_000, currency: 'JPY' }, ...overrides });
    expect(await sut.refund(SP, refund({ transactionNumber: 'no-such' }))).toMatchObject({ refusal: 'unknown-transaction' });
    expect(await sut.refund(OTHER_SP, refund({}))).toMatchObject({ refusal: 'unknown-transaction' });
    expect(await sut.refund(SP, refund({ amount: { amount: 1_000, currency: 'EUR' } }))).toMatchObject({ refusal: 'currency-mismatch' });
    await sut.clear(SP, clearing('iss-ticket', 'alice', 2_500));
    expect(await sut.refund(SP, refund({}))).toMatchObject({ refusal: 'insufficient-funds' });
    expect(await balanceOf('iss-ticket')).toBe(500);
    await expectBalanced();
  });
});

describe('refund clearing to another user clearing account (a transferred ticket)', () => {
  const refundTo = (original: ClearingItem, userClearingAccount: string | undefined, amount = 1_000) => ({
    requestNumber: next('refund'),
    transactionNumber: original.transactionNumber,
    amount: { amount, currency: 'JPY' },
    ...(userClearingAccount === undefined ? {} : { userClearingAccount }),
  });

  it('credits the named account, leaves the payer as it was, and still refunds no more than was cleared', async () => {
    const original = clearing('alice', 'iss-ticket', 3_000);
    await sut.clear(SP, original);
    expect(await sut.refund(SP, refundTo(original, 'bob', 2_000))).toMatchObject({ result: 'cleared', refundable: { amount: 1_000, currency: 'JPY' } });
    expect(await balanceOf('bob')).toBe(2_500);
    expect(await balanceOf('alice')).toBe(7_000);
    expect(await balanceOf('iss-ticket')).toBe(1_000);
    expect(await sut.refund(SP, refundTo(original, 'bob', 1_001))).toMatchObject({ result: 'refused', refusal: 'exceeds-cleared' });
    expect(await sut.refund(SP, refundTo(original, undefined, 1_000))).toMatchObject({ result: 'cleared', refundable: { amount: 0 } });
    expect(await balanceOf('alice')).toBe(8_000);
    await expectBalanced();
  });

  it('answers a resent refund once, and refuses the same request number naming another account', async () => {
    const original = clearing('alice', 'iss-ticket', 3_000);
    await sut.clear(SP, original);
    const refund = refundTo(original, 'bob');
    const first = await sut.refund(SP, refund);
    expect(first).toMatchObject({ result: 'cleared' });
    expect(await sut.refund(SP, refund)).toEqual(first);
    expect(await sut.refund(SP, { ...refund, userClearingAccount: 'alice' })).toMatchObject({ result: 'refused', refusal: 'conflict' });
    expect(await balanceOf('bob')).toBe(1_500);
    expect(await balanceOf('alice')).toBe(7_000);
    await expectBalanced();
  });

  it('refuses an unknown account, a funding account, the payee itself and an account in another currency, moving nothing', async () => {
    const original = clearing('alice', 'iss-ticket', 3_000);
    await sut.clear(SP, original);
    await sut.openAccount(SP, account('dora', 0, { currency: 'EUR' }));
    const entries = await entryCount();
    expect(await sut.refund(SP, refundTo(original, 'nobody'))).toMatchObject({ result: 'refused', refusal: 'unknown-account' });
    expect(await sut.refund(SP, refundTo(original, fundingAccountId('JPY')))).toMatchObject({ result: 'refused', refusal: 'unknown-account' });
    expect(await sut.refund(SP, refundTo(original, 'iss-ticket'))).toMatchObject({ result: 'refused', refusal: 'same-account' });
    expect(await sut.refund(SP, refundTo(original, 'dora'))).toMatchObject({ result: 'refused', refusal: 'currency-mismatch' });
    expect(await entryCount()).toBe(entries);
    expect(await balanceOf('iss-ticket')).toBe(3_000);
    expect(await sut.refund(SP, refundTo(original, 'bob', 3_000))).toMatchObject({ result: 'cleared', refundable: { amount: 0 } });
    await expectBalanced();
  });
});

describe('clearing batch', () => {
  it('clears or refuses each item on its own and answers a resend without moving money again', async () => {
    const early = clearing('alice', 'iss-ticket', 100);
    const spontaneous = await sut.clear(SP, early);
    const batch = {
      requestNumber: next('batch'),
      items: [clearing('alice', 'iss-ticket', 1_000), clearing('bob', 'iss-ticket', 2_000), early, clearing('alice', 'ghost', 10), clearing('bob', 'iss-ticket', 1_400)],
    };
    const outcome = await sut.clearBatch(SP, batch);
    expect(outcome.result).toBe('processed');
    const results = outcome.result === 'processed' ? outcome.results : [];
    expect(results.map((result) => (result.result === 'cleared' ? 'cleared' : result.refusal))).toEqual(['cleared', 'insufficient-funds', 'cleared', 'unknown-account', 'cleared']);
    expect(results[2]).toEqual(spontaneous);
    expect(await balanceOf('alice')).toBe(8_900);
    expect(await balanceOf('bob')).toBe(-900);
    const entries = await entryCount();
    expect(await sut.clearBatch(SP, batch)).toEqual(outcome);
    expect(await entryCount()).toBe(entries);
    expect(await sut.clearBatch(SP, { ...batch, items: batch.items.slice(1) })).toEqual({ requestNumber: batch.requestNumber, result: 'refused', refusal: 'conflict' });
    await expectBalanced();
  });
});

describe('journal', () => {
  it('refuses to post an entry whose legs do not sum to zero', async () => {
    const alice = await db.dataSource.getRepository(TpsAccount).findOneByOrFail({ id: 'alice' });
    const header = { kind: 'clearing' as const, sender: SP, requestNumber: 'x', transactionNumber: 'x', currency: 'JPY', amount: 10, description: '', postedAt: 0, refundOf: null };
    await expect(db.dataSource.transaction((tx) => postEntry(tx, header, [{ account: alice, amount: -10 }, { account: alice, amount: 9 }]))).rejects.toThrow(InvariantError);
    await expectBalanced();
  });
});
