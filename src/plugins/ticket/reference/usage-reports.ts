import type { ActorSystem } from '../../../actors/actor-system.js';
import { DEFAULT_USAGE_REPORT_INTERVAL_MS, USAGE_REPORT_KIND, USAGE_REPORT_PG } from './usage-report-director.machine.js';

/**
 * The operator's handle on the usage report schedule [1664]: report now, or change the interval (weekly by default).
 * The schedule itself is the durable director `txn:ticket-usage-report:schedule`.
 */
export class TicketUsageReports {
  constructor(
    private readonly actors: ActorSystem,
    private readonly spId: string,
  ) {}

  /** Examination responses were taken in: a round becomes due one interval from now (if none is due already). */
  recorded(): Promise<void> {
    return this.send({ type: 'usage.recorded' });
  }

  /** Reports every unreported examination response now. */
  reportNow(): Promise<void> {
    return this.send({ type: 'usage.reportNow' });
  }

  setInterval(intervalMs: number): Promise<void> {
    if (!Number.isInteger(intervalMs) || intervalMs < 1000) throw new RangeError(`usage report interval ${intervalMs} ms: at least 1000`);
    return this.send({ type: 'usage.intervalChanged', intervalMs });
  }

  private send(event: { type: string } & Record<string, unknown>): Promise<void> {
    return this.actors.send(USAGE_REPORT_PG, event, {}, { kind: USAGE_REPORT_KIND, input: { pg: USAGE_REPORT_PG, spId: this.spId, intervalMs: DEFAULT_USAGE_REPORT_INTERVAL_MS }, processGroup: USAGE_REPORT_PG });
  }
}
