import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintColumn } from './integer-column.js';

export type JournalEntryKind = 'funding' | 'clearing' | 'refund';

/** One immutable journal entry; its ID is the clearing number. Its postings sum to zero. Never updated or deleted. */
@Entity({ name: 'tps_journal_entries' })
@Check('ck_tps_journal_entries_amount', 'amount > 0')
export class TpsJournalEntry {
  @PrimaryGeneratedColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'varchar', length: 16 }) kind!: JournalEntryKind;
  @Column({ type: 'varchar', length: 160 }) sender!: string;
  @Column({ name: 'request_number', type: 'varchar', length: 128 }) requestNumber!: string;
  @Column({ name: 'transaction_number', type: 'varchar', length: 128, nullable: true }) transactionNumber!: string | null;
  @Column({ type: 'varchar', length: 3 }) currency!: string;
  /** The amount moved, positive. */
  @Column({ type: 'bigint', transformer: bigintColumn }) amount!: number;
  @Column({ type: 'varchar', length: 200 }) description!: string;
  @Column({ name: 'posted_at', type: 'bigint', transformer: bigintColumn }) postedAt!: number;
  /** For a refund, the clearing entry it pays back. */
  @Column({ name: 'refund_of', type: 'integer', nullable: true }) refundOf!: number | null;
}
