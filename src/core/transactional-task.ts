import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../common/clock.js';
import { TaskResultEntity } from '../persistence/entities/index.js';
import { transaction } from '../persistence/write-lock.js';
import type { TaskHandler } from './outbox-dispatcher.js';

/**
 * A task whose work and stored result commit together: run again with the same key (a redelivered effect after a
 * crash) it returns the stored result and changes nothing. `work` gets the transaction's entity manager.
 */
export function transactionalTask<I, R>(dataSource: DataSource, clock: Clock, work: (input: I, em: EntityManager, key: string) => Promise<R>): TaskHandler {
  return async (input, key) =>
    transaction(dataSource, async (em) => {
      const stored = await em.getRepository(TaskResultEntity).findOneBy({ taskKey: key });
      if (stored !== null) return stored.result as R;
      const result = await work(input as I, em, key);
      const row = new TaskResultEntity();
      Object.assign(row, { taskKey: key, result, completedAt: clock.now() });
      await em.getRepository(TaskResultEntity).save(row);
      return result;
    });
}
