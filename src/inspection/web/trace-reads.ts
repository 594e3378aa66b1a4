import { MoreThan, type DataSource, type FindOptionsWhere } from 'typeorm';
import { InspectionEventEntity } from '../../persistence/entities/inspection-event.entity.js';
import type { StoredInspectionRecord } from '../inspection-log.js';
import type { FeedFilter } from './live-feed.js';

/** Trace rows after a sequence number, oldest first, bounded: what a live client missed while it reconnected. */
export async function recordsAfter(dataSource: DataSource, seq: number, filter: FeedFilter, limit: number): Promise<StoredInspectionRecord[]> {
  const where: FindOptionsWhere<InspectionEventEntity> = { seq: MoreThan(seq) };
  if (filter.processGroup !== undefined) where.processGroup = filter.processGroup;
  if (filter.actorId !== undefined) where.actorId = filter.actorId;
  const rows = await dataSource.getRepository(InspectionEventEntity).find({ where, order: { seq: 'ASC' }, take: limit });
  return rows.map((row) => ({ seq: row.seq, at: row.at, processGroup: row.processGroup, actorId: row.actorId, kind: row.kind, type: row.type, detail: row.detail as Record<string, unknown> }));
}
