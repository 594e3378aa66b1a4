import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../columns.js';

export type AuditCategory = 'refusal' | 'alert' | 'operator' | 'lifecycle';

/** Refusals and alerts raised to the management system; an operator lists them over HTTP. */
@Entity('audit_record')
export class AuditRecordEntity {
  @PrimaryGeneratedColumn('increment') seq!: number;
  @Index() @Column('bigint', { transformer: bigintNumber }) at!: number;
  @Index() @Column('varchar', { length: 16 }) category!: AuditCategory;
  @Column('varchar', { length: 40 }) reason!: string;
  @Column('varchar', { length: 200, nullable: true }) principal!: string | null;
  @Column('varchar', { length: 200, nullable: true }) transport!: string | null;
  @Column('text') message!: string;
  @Column('text', { transformer: jsonText }) detail!: unknown;
}
