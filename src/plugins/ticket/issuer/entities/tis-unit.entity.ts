import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../../persistence/columns.js';

export type UnitStatus = 'free' | 'held' | 'sold';

/** One sellable place of an event (a seat, or a general admission unit): the inventory. */
@Entity('tis_units')
@Index(['ticketCode', 'status'])
@Index(['ticketCode', 'status', 'position'])
export class TisUnit {
  @PrimaryColumn('varchar', { length: 64 }) ticketCode!: string;
  @PrimaryColumn('varchar', { length: 40 }) unit!: string;
  @Column('integer') position!: number;
  @Column('varchar', { length: 8 }) status!: UnitStatus;
  /** The offer holding it, or the sale it was sold in. */
  @Column('varchar', { length: 64, nullable: true }) holder!: string | null;
  @Column('bigint', { transformer: bigintNumber, nullable: true }) heldUntil!: number | null;
}
