import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../columns.js';

/** The spec's merchant list (merchants and communication service providers that own devices). */
@Entity('merchant_list')
export class MerchantListEntity {
  @PrimaryColumn('varchar', { length: 160 }) merchantId!: string;
  @Column('varchar', { length: 200 }) name!: string;
  @Column('varchar', { length: 16 }) status!: 'active' | 'disabled';
  @Column('bigint', { transformer: bigintNumber }) registeredAt!: number;
}
