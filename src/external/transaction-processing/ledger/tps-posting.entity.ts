import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { bigintColumn } from './integer-column.js';
import { TpsAccount } from './tps-account.entity.js';
import { TpsJournalEntry } from './tps-journal-entry.entity.js';

/** One leg of a journal entry: positive credits the account, negative debits it. Immutable. */
@Entity({ name: 'tps_postings' })
@Check('ck_tps_postings_amount', 'amount <> 0')
@Index('ix_tps_postings_account', ['accountId'])
@Index('ix_tps_postings_entry', ['entryId'])
export class TpsPosting {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ name: 'entry_id', type: 'integer' }) entryId!: number;
  @Column({ name: 'account_id', type: 'varchar', length: 96 }) accountId!: string;
  @Column({ type: 'bigint', transformer: bigintColumn }) amount!: number;

  @ManyToOne(() => TpsJournalEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_tps_postings_entry' })
  entry?: TpsJournalEntry;

  @ManyToOne(() => TpsAccount, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_tps_postings_account' })
  account?: TpsAccount;
}
