import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../common/clock.js';
import { executeAll } from '../persistence/raw-sql.js';
import { readTaskResult, taskResultStatements } from '../persistence/rows/task-result-rows.js';
import { transaction } from '../persistence/write-lock.js';
import type { TaskHandler } from './outbox-dispatcher.js';

/**
 * A task whose work and stored result commit together: run again with the same key (a redelivered effect after a
 * crash) it returns the stored result and changes nothing. `work` gets the transaction's entity manager. The result
 * row is read and written with prepared statements in that same transaction.
 */
export function transactionalTask<I, R>(dataSource: DataSource, clock: Clock, work: (input: I, em: EntityManager, key: string) => Promise<R>): TaskHandler {
  return async (input, key) =>
    transaction(dataSource, async (em) => {
      const stored = await readTaskResult(em, key);
      if (stored !== undefined) return stored as R;
      const result = await work(input as I, em, key);
      await executeAll(em, taskResultStatements([{ taskKey: key, result, completedAt: clock.now() }]));
      return result;
    });
}
