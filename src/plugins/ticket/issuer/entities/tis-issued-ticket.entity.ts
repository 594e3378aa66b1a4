import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../../persistence/columns.js';

export type IssuedTicketStatus = 'issued' | 'cancelled' | 'refunded';

/** Every ticket the issuer put its signature on: sold tickets = tickets in wallets + refunded tickets. */
@Entity('tis_issued_tickets')
@Index(['transactionNumber'])
@Index('ix_tis_issued_tickets_customer', ['customerNumber', 'ticketCode'])
export class TisIssuedTicket {
  @PrimaryColumn('varchar', { length: 96 }) ticketId!: string;
  @Column('varchar', { length: 64 }) transactionNumber!: string;
  @Column('varchar', { length: 64 }) ticketCode!: string;
  @Column('varchar', { length: 64 }) customerNumber!: string;
  @Column('varchar', { length: 40 }) unit!: string;
  @Column('varchar', { length: 16 }) status!: IssuedTicketStatus;
  @Column('bigint', { transformer: bigintNumber }) issuedAt!: number;
}
