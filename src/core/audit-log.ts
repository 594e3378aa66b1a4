import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock.js';
import { AuditRecordEntity, type AuditCategory } from '../persistence/entities/audit-record.entity.js';
import { withWriteLock } from '../persistence/write-lock.js';

export interface AuditEntry {
  readonly category: AuditCategory;
  readonly reason: string;
  readonly principal?: string | null;
  readonly transport?: string | null;
  readonly message: string;
  readonly detail?: Record<string, unknown>;
}

export interface PlatformLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Refusals and alerts, raised to the management system: stored, and logged on one line each. */
export class AuditLog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly logger: PlatformLogger,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const line = `[${entry.category}] ${entry.reason}: ${entry.message}${entry.transport ? ` (via ${entry.transport})` : ''}`;
    // What an operator did is the record of a normal action; refusals and alerts want attention.
    if (entry.category === 'operator') this.logger.log(line);
    else this.logger.warn(line);
    const row = {
      at: this.clock.now(),
      category: entry.category,
      reason: entry.reason,
      principal: entry.principal ?? null,
      transport: entry.transport ?? null,
      message: entry.message,
      detail: entry.detail ?? {},
    };
    await withWriteLock(this.dataSource, () => this.dataSource.getRepository(AuditRecordEntity).insert(row));
  }

  async list(limit: number, category?: AuditCategory): Promise<AuditRecordEntity[]> {
    return this.dataSource.getRepository(AuditRecordEntity).find({ where: category === undefined ? {} : { category }, order: { seq: 'DESC' }, take: limit });
  }
}
