import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../../../persistence/columns.js';

/** How the service provider came to generate a ticket: installation and modification keep their source here. */
export type TicketOrigin = 'purchase' | 'installation' | 'modification';

/**
 * The issuer-signed ticket data (presentation ticket 1902) and representative component information 1932 a ticket was
 * last generated from, so that a modification that changes only the template or the representative component
 * ([1715]: "when no modification of the electronic ticket information is to take place, the ticket data are not set")
 * can generate the new electronic ticket from the same issuer-signed data.
 */
@Entity('ticket_issued_data')
export class TicketIssuedDataEntity {
  @PrimaryColumn('varchar', { length: 96 }) ticketId!: string;
  /** base64 of the issuer-signed ticket data. */
  @Column('text') ticketData!: string;
  @Column('text', { transformer: jsonText, nullable: true }) representativeComponent!: Record<string, string> | null;
  @Column('varchar', { length: 16 }) origin!: TicketOrigin;
  @Column('bigint', { transformer: bigintNumber }) updatedAt!: number;
}
