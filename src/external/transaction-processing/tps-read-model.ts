import type { Money } from '../../protocol/message.js';
import { toSafeInteger } from './ledger/integer-column.js';
import { TpsAccount, type LedgerAccountKind } from './ledger/tps-account.entity.js';
import type { TpsDatabase } from './ledger/tps-database.js';
import { TpsJournalEntry } from './ledger/tps-journal-entry.entity.js';
import { TpsPosting } from './ledger/tps-posting.entity.js';

export interface TpsAccountView {
  readonly id: string;
  readonly owner: string;
  readonly kind: LedgerAccountKind;
  readonly creditLimit: Money;
  /** Derived from the postings, not from the cached column. */
  readonly balance: Money;
}

/** The ledger's proof of balance. `balanced` holds when every list is empty and every total is zero. */
export interface TrialBalance {
  readonly balanced: boolean;
  /** Sum of all postings per currency: zero in double entry. */
  readonly totals: Readonly<Record<string, number>>;
  /** Entries whose postings do not sum to zero. */
  readonly unbalancedEntries: readonly number[];
  /** Accounts whose cached balance differs from the sum of their postings. */
  readonly cacheMismatches: readonly string[];
  readonly entryCount: number;
  readonly postingCount: number;
}

/** Read-only questions to the TPS ledger, for tests and the SP operator's view. */
export class TpsReadModel {
  constructor(private readonly db: TpsDatabase) {}

  /** The account's balance as the sum of its postings; undefined for an unknown account. */
  async balance(accountId: string): Promise<Money | undefined> {
    return (await this.account(accountId))?.balance;
  }

  async account(accountId: string): Promise<TpsAccountView | undefined> {
    return this.db.exclusive(async () => {
      const account = await this.db.dataSource.getRepository(TpsAccount).findOneBy({ id: accountId });
      if (account === null) return undefined;
      const row = await this.db.dataSource
        .createQueryBuilder()
        .select('COALESCE(SUM(p.amount), 0)', 'total')
        .from(TpsPosting, 'p')
        .where('p.accountId = :id', { id: accountId })
        .getRawOne<{ total: unknown }>();
      const currency = account.currency;
      return { id: account.id, owner: account.owner, kind: account.kind, creditLimit: { amount: account.creditLimit, currency }, balance: { amount: toSafeInteger(row?.total ?? 0), currency } };
    });
  }

  async trialBalance(): Promise<TrialBalance> {
    return this.db.exclusive(async () => {
      const source = this.db.dataSource;
      const totalRows = await source
        .createQueryBuilder()
        .select('a.currency', 'currency')
        .addSelect('SUM(p.amount)', 'total')
        .from(TpsPosting, 'p')
        .innerJoin(TpsAccount, 'a', 'a.id = p.accountId')
        .groupBy('a.currency')
        .getRawMany<{ currency: string; total: unknown }>();
      const unbalanced = await source.createQueryBuilder().select('p.entryId', 'entry').from(TpsPosting, 'p').groupBy('p.entryId').having('SUM(p.amount) <> 0').getRawMany<{ entry: unknown }>();
      const sums = source.createQueryBuilder().select('p.accountId', 'account').addSelect('SUM(p.amount)', 'total').from(TpsPosting, 'p').groupBy('p.accountId');
      const mismatched = await source
        .createQueryBuilder()
        .select('a.id', 'id')
        .from(TpsAccount, 'a')
        .leftJoin(`(${sums.getQuery()})`, 's', 's.account = a.id')
        .where('a.balance <> COALESCE(s.total, 0)')
        .getRawMany<{ id: string }>();
      const totals = Object.fromEntries(totalRows.map((row) => [row.currency, toSafeInteger(row.total)]));
      const result = {
        totals,
        unbalancedEntries: unbalanced.map((row) => toSafeInteger(row.entry)),
        cacheMismatches: mismatched.map((row) => row.id),
        entryCount: await source.getRepository(TpsJournalEntry).count(),
        postingCount: await source.getRepository(TpsPosting).count(),
      };
      const balanced = Object.values(totals).every((total) => total === 0) && result.unbalancedEntries.length === 0 && result.cacheMismatches.length === 0;
      return { balanced, ...result };
    });
  }
}
