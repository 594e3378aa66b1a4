import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../columns.js';

/** The persisted replay window: message digests and request/transaction numbers already seen. */
@Entity('replay_window')
export class ReplayEntryEntity {
  @PrimaryColumn('varchar', { length: 200 }) scope!: string;
  @PrimaryColumn('varchar', { length: 128 }) entry!: string;
  @Index() @Column('bigint', { transformer: bigintNumber }) expiresAt!: number;
}
