import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../columns.js';
import type { DeviceKind } from '../../protocol/ids.js';

/** Active, disabled by an operator, or "use disabled" by the service providing system (mandatory expiration). */
export type DeviceStatus = 'active' | 'disabled' | 'use-disabled';

/** The device registry: every terminal and machine, its owner and keys. */
@Entity('device_registry')
export class DeviceEntity {
  @PrimaryColumn('varchar', { length: 160 }) id!: string;
  @Column('varchar', { length: 24 }) kind!: DeviceKind;
  @Index() @Column('varchar', { length: 160 }) ownerId!: string;
  @Column('varchar', { length: 64 }) signingPublicKey!: string;
  @Column('varchar', { length: 64 }) sealingPublicKey!: string;
  @Column('varchar', { length: 16 }) status!: DeviceStatus;
  @Column('bigint', { transformer: bigintNumber }) createdAt!: number;
  @Column('bigint', { transformer: bigintNumber, nullable: true }) lastSeenAt!: number | null;
}
