import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../persistence/columns.js';

/**
 * Electronic ticket management information 5300, one row per ticket code: the issuer (5306), the template (5312), and
 * the ticket kind's two sealing key pairs: the ticket key pair (5309; tickets hold the private half, gates seal ticket
 * test patterns to the public half) and the gate key pair (5310; gates hold the private half, tickets seal gate test
 * patterns to the public half). Made when an issuer first commissions tickets of the code. Keys as base64.
 */
@Entity('ticket_management')
export class TicketManagementEntity {
  @PrimaryColumn('varchar', { length: 64 }) ticketCode!: string;
  @Column('varchar', { length: 120 }) ticketName!: string;
  @Column('varchar', { length: 100 }) issuerId!: string;
  @Column('varchar', { length: 64 }) templateCode!: string;
  @Column('varchar', { length: 64 }) ticketPublicKey!: string;
  @Column('varchar', { length: 64 }) ticketPrivateKey!: string;
  @Column('varchar', { length: 64 }) gatePublicKey!: string;
  @Column('varchar', { length: 64 }) gatePrivateKey!: string;
  @Column('bigint', { transformer: bigintNumber }) validUntil!: number;
  @Column('bigint', { transformer: bigintNumber }) createdAt!: number;
}
