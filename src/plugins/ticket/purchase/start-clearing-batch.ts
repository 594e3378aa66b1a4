import type { ActorSystem } from '../../../actors/actor-system.js';

/**
 * Starts one delayed clearing batch now (the daily schedule and the operator both call this). Returns its process
 * group; the batch takes every delayed purchase waiting at that moment.
 */
export async function startClearingBatch(actors: ActorSystem, ids: { spId: string; tpsId: string }, batchId: string): Promise<string> {
  const pg = `txn:ticket-clearing-batch:${batchId}`;
  await actors.send(pg, { type: 'process.start', pg }, {}, { kind: 'director:ticket-clearing-batch', input: { pg, spId: ids.spId, tpsId: ids.tpsId }, processGroup: pg });
  return pg;
}
