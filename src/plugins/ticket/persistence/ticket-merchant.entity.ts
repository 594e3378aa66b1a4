import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../../../persistence/columns.js';

/** The merchant list 5302 of a ticket code: which merchant (and which of its gates, or all when null) examines it. */
@Entity('ticket_merchant')
export class TicketMerchantEntity {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar', { length: 64 }) ticketCode!: string;
  @Column('varchar', { length: 100 }) merchantId!: string;
  @Column('varchar', { length: 160, nullable: true }) gateId!: string | null;
  @Column('bigint', { transformer: bigintNumber }) addedAt!: number;
}
