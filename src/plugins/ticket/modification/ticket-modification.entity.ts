import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../../../persistence/columns.js';
import type { ModificationCode } from './modification.messages.js';

/**
 * A modification request 8000 / 8100 the service provider accepted ([1717]): what the service director generates the
 * new electronic tickets from. Keyed by issuer and modification number. Byte fields as base64.
 */
@Entity('ticket_modification')
export class TicketModificationEntity {
  /** `<issuer ID>/<modification number>` */
  @PrimaryColumn('varchar', { length: 180 }) id!: string;
  @Column('varchar', { length: 100 }) issuerId!: string;
  @Column('varchar', { length: 64 }) modificationNumber!: string;
  @Column('varchar', { length: 32 }) modificationCode!: ModificationCode;
  @Column('varchar', { length: 64 }) ticketCode!: string;
  @Column('varchar', { length: 64 }) templateCode!: string;
  @Column('bigint', { transformer: bigintNumber }) timeLimit!: number;
  @Column('text') modificationMessage!: string;
  /** Modified ticket data by ticket ID (issuer-signed, base64); empty when the ticket information is unchanged. */
  @Column('text', { transformer: jsonText }) ticketData!: Record<string, string>;
  @Column('text', { transformer: jsonText, nullable: true }) representativeComponent!: Record<string, string> | null;
  @Column('varchar', { length: 180 }) processGroup!: string;
  @Column('bigint', { transformer: bigintNumber }) receivedAt!: number;
}
