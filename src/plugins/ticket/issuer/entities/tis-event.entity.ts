import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../../persistence/columns.js';

/** An event of the ticket information server 1103: a ticket code with its issuing conditions. */
@Entity('tis_events')
export class TisEvent {
  @PrimaryColumn('varchar', { length: 64 }) ticketCode!: string;
  @Column('varchar', { length: 120 }) title!: string;
  @Column('varchar', { length: 10 }) date!: string;
  @Column('varchar', { length: 120 }) location!: string;
  @Column('varchar', { length: 64 }) templateCode!: string;
  @Column('varchar', { length: 120 }) sponsor!: string;
  @Column('varchar', { length: 40, nullable: true }) seatClass!: string | null;
  @Column('bigint', { transformer: bigintNumber }) unitPrice!: number;
  @Column('varchar', { length: 3 }) currency!: string;
  @Column('boolean') transferable!: boolean;
  @Column('integer', { nullable: true }) coupons!: number | null;
  @Column('boolean') seated!: boolean;
  @Column('integer') ticketLimit!: number;
}
