import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../columns.js';

/** Data held by the service providing system at remote addresses, served by the remote access process [1471]. */
@Entity('remote_data')
export class RemoteDataEntity {
  @PrimaryColumn('varchar', { length: 300 }) address!: string;
  @Column('varchar', { length: 100 }) contentType!: string;
  /** base64 */
  @Column('text') data!: string;
  @Column('bigint', { transformer: bigintNumber }) updatedAt!: number;
}
