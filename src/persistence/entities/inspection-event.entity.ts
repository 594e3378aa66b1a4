import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../columns.js';

export type InspectionKind = 'transition' | 'message-in' | 'message-out' | 'refusal';

/** The inspection trace: every transition and message, kept per process group, read over HTTP. */
@Entity('inspection_event')
export class InspectionEventEntity {
  @PrimaryGeneratedColumn('increment') seq!: number;
  @Index() @Column('varchar', { length: 200 }) processGroup!: string;
  @Index() @Column('varchar', { length: 200 }) actorId!: string;
  @Column('varchar', { length: 16 }) kind!: InspectionKind;
  @Column('varchar', { length: 120 }) type!: string;
  @Column('text', { transformer: jsonText }) detail!: unknown;
  @Column('bigint', { transformer: bigintNumber }) at!: number;
}
