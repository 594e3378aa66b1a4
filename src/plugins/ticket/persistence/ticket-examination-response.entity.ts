import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../persistence/columns.js';

/**
 * The ticket examination response list ([1660]): each examination response a gate uploaded, with the reference result.
 * Keyed by gate and transaction number, so an upload that comes again is recognised.
 */
@Entity('ticket_examination_response')
@Index(['ticketId', 'examinationNumber'])
export class TicketExaminationResponseEntity {
  @PrimaryColumn('varchar', { length: 240 }) id!: string;
  @Column('varchar', { length: 96 }) ticketId!: string;
  @Column('varchar', { length: 64 }) ticketCode!: string;
  @Column('varchar', { length: 160 }) gateId!: string;
  @Column('varchar', { length: 100 }) merchantId!: string;
  @Column('integer') examinationNumber!: number;
  @Column('varchar', { length: 128 }) transactionNumber!: string;
  @Column('varchar', { length: 16 }) result!: 'accepted' | 'error';
  @Column('varchar', { length: 300, nullable: true }) reason!: string | null;
  /** base64 of the response's signed frame. */
  @Column('text') response!: string;
  @Column('bigint', { transformer: bigintNumber }) examinedAt!: number;
  @Column('bigint', { transformer: bigintNumber }) referencedAt!: number;
  /** When a usage report 7100 included it; null until then. */
  @Column('bigint', { transformer: bigintNumber, nullable: true }) reportedAt!: number | null;
}
