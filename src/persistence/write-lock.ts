import type { DataSource, EntityManager } from 'typeorm';

const queues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * TypeORM's SQLite driver shares one connection: two transactions at once would nest as savepoints of each other,
 * and a plain write during a transaction would join it. So on SQLite every write runs one at a time; PostgreSQL pools
 * connections and needs no lock.
 */
export function withWriteLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'sqlite') return work();
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const next = previous.then(work, work);
  queues.set(
    dataSource,
    next.then(
      () => undefined,
      () => undefined,
    ),
  );
  return next;
}

/** A transaction, serialised with every other write on SQLite. */
export function transaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return withWriteLock(dataSource, () => dataSource.transaction(work));
}
