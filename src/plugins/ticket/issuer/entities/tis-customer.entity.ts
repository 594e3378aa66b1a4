import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../../persistence/columns.js';

/** The customer information server 1101: a customer number, its purchase history and whether it is trusted. */
@Entity('tis_customers')
export class TisCustomer {
  @PrimaryColumn('varchar', { length: 64 }) customerNumber!: string;
  @Column('integer') completedPurchases!: number;
  /** Set by the issuer's staff, or reached by `trustedAfterPurchases` completed purchases. */
  @Column('boolean') trusted!: boolean;
  @Column('bigint', { transformer: bigintNumber }) createdAt!: number;
}
