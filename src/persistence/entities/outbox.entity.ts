import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../columns.js';

export type OutboxDestination = 'device' | 'external' | 'actor' | 'task';

/**
 * Messages an actor decided to send, written in the same transaction as its snapshot and delivered after commit.
 * A crash between the two redelivers the same bytes (same message ID), which receivers de-duplicate.
 */
@Entity('outbox')
export class OutboxEntity {
  @PrimaryColumn('varchar', { length: 64 }) messageId!: string;
  @Column('varchar', { length: 16 }) destinationKind!: OutboxDestination;
  @Column('varchar', { length: 200 }) destination!: string;
  /** Actor that receives the reply of an external exchange. */
  @Column('varchar', { length: 200, nullable: true }) replyTo!: string | null;
  @Column('text') payload!: string;
  @Index() @Column('varchar', { length: 200 }) processGroup!: string;
  @Index() @Column('varchar', { length: 16 }) status!: 'pending' | 'sent';
  @Column('bigint', { transformer: bigintNumber }) createdAt!: number;
  @Column('bigint', { transformer: bigintNumber, nullable: true }) sentAt!: number | null;
}
