import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../persistence/columns.js';

/**
 * Tickets whose ticket status 4647 in the user ticket list 4610 is "use disabled" ([1728]: the user refused a
 * modification). The ticket status 1907 of the model has no such state, so the service provider keeps it here; the
 * reference process and the gates must treat a ticket listed here as not usable.
 */
@Entity('ticket_use_disabled')
export class TicketUseDisabledEntity {
  @PrimaryColumn('varchar', { length: 96 }) ticketId!: string;
  @Column('varchar', { length: 100 }) userId!: string;
  @Column('varchar', { length: 180 }) modificationId!: string;
  @Column('varchar', { length: 32 }) reason!: 'modification-refused';
  @Column('bigint', { transformer: bigintNumber }) disabledAt!: number;
}
