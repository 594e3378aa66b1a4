import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../../persistence/columns.js';

/** Clearing accounts the SP has seen open at the transaction processor (so it asks to open each only once). */
@Entity('ticket_clearing_account')
export class TicketClearingAccountEntity {
  @PrimaryColumn('varchar', { length: 96 }) account!: string;
  @Column('varchar', { length: 100 }) owner!: string;
  @Column('bigint', { transformer: bigintNumber }) openedAt!: number;
}
