import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../columns.js';

/** The spec's user list: each user and the mobile user terminal that holds the user's keys. */
@Entity('user_list')
export class UserListEntity {
  @PrimaryColumn('varchar', { length: 160 }) userId!: string;
  @Index({ unique: true }) @Column('varchar', { length: 160 }) terminalId!: string;
  @Column('varchar', { length: 16 }) status!: 'active' | 'disabled';
  @Column('bigint', { transformer: bigintNumber }) registeredAt!: number;
}
