import type { DataSource } from 'typeorm';
import type { ActorSystem } from '../../../actors/actor-system.js';
import { ActorSnapshotEntity } from '../../../persistence/entities/actor-snapshot.entity.js';

const DAY_MS = 24 * 3600 * 1000;
/** The daily delayed refund clearing runs at 02:00 UTC ([1766]: "once a day with another clearing process"). */
const BATCH_HOUR_UTC = 2;

/** The next daily batch time strictly after `at`: a refund waiting for the batch sets it as its deadline. */
export function nextRefundBatchAt(at: number): number {
  const today = Math.floor(at / DAY_MS) * DAY_MS + BATCH_HOUR_UTC * 3600 * 1000;
  return today > at ? today : today + DAY_MS;
}

export const REFUND_DIRECTOR_KIND = 'director:ticket-refund';

/**
 * Runs the delayed refund clearing now (on demand, as the operator or the purchase's clearing batch would): every
 * refund waiting for the batch clears at once instead of at its daily deadline. Returns how many were started.
 */
export async function startRefundClearingBatch(actors: ActorSystem, dataSource: DataSource): Promise<number> {
  const waiting = await dataSource.getRepository(ActorSnapshotEntity).find({ select: { actorId: true }, where: { kind: REFUND_DIRECTOR_KIND, status: 'active', stateValue: 'awaitingBatch' }, take: 500 });
  await Promise.all(waiting.map((row) => actors.send(row.actorId, { type: 'refund.batch.due', pg: row.actorId })));
  return waiting.length;
}
