import type { PluginServices } from '../../plugin.contract.js';
import { startClearingBatch } from './start-clearing-batch.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Runs the delayed clearing batch on a schedule ([1620]: "for example, once a day"). `intervalMs` null means daily;
 * 0 turns the schedule off (tests start batches themselves). The timer does not keep the process alive, and a batch
 * that fails to start is tried again at the next tick.
 */
export function scheduleClearingBatches(services: PluginServices, intervalMs: number | null): { stop(): void } {
  const every = intervalMs ?? DAY_MS;
  if (every <= 0) return { stop: () => undefined };
  const timer = setInterval(() => {
    startClearingBatch(services.actors, { spId: services.spId, tpsId: services.tpsId }, services.newId()).catch(() => undefined);
  }, every);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
