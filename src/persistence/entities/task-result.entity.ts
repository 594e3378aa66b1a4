import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../columns.js';

/** The stored result of a task an actor asked for, so that running it again after a crash returns the same answer. */
@Entity('task_result')
export class TaskResultEntity {
  @PrimaryColumn('varchar', { length: 240 }) taskKey!: string;
  @Column('text', { transformer: jsonText }) result!: unknown;
  @Column('bigint', { transformer: bigintNumber }) completedAt!: number;
}
