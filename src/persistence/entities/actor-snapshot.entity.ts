import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../columns.js';

/** Status of a persisted actor: recovery at boot is one query on `active`. */
export type ActorStatus = 'active' | 'done' | 'error' | 'stopped';

/** One row per durable actor: kind, machine version, JSON snapshot (XState getPersistedSnapshot). */
@Entity('actor_snapshot')
export class ActorSnapshotEntity {
  @PrimaryColumn('varchar', { length: 200 }) actorId!: string;
  @Index() @Column('varchar', { length: 64 }) kind!: string;
  @Column('integer') machineVersion!: number;
  @Index() @Column('varchar', { length: 16 }) status!: ActorStatus;
  @Index() @Column('varchar', { length: 200, nullable: true }) processGroup!: string | null;
  @Column('varchar', { length: 120 }) stateValue!: string;
  @Column('text', { transformer: jsonText }) snapshot!: unknown;
  @Column('integer') sequence!: number;
  /** The earliest deadline in the actor's context (`deadlineAt`), so due actors are one query. */
  @Index() @Column('bigint', { transformer: bigintNumber, nullable: true }) deadlineAt!: number | null;
  @Column('bigint', { transformer: bigintNumber }) updatedAt!: number;
}
