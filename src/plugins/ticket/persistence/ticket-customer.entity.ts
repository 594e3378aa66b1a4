import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../persistence/columns.js';

/**
 * The customer table of a ticket issuer (customer table address 5230 of the ticket issuer list 5203): the number that
 * stands for a user towards that issuer only ([1562], [1578]).
 */
@Entity('ticket_customer')
export class TicketCustomerEntity {
  @PrimaryColumn('varchar', { length: 100 }) issuerId!: string;
  @PrimaryColumn('varchar', { length: 100 }) userId!: string;
  @Column('varchar', { length: 64 }) customerNumber!: string;
  @Column('bigint', { transformer: bigintNumber }) createdAt!: number;
}
