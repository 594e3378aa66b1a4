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

interface PendingTransaction {
  readonly work: (manager: EntityManager) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

const MAX_GROUP = 64;
const openGroups = new WeakMap<DataSource, PendingTransaction[]>();

/**
 * A transaction, serialised with every other write on SQLite. Transactions that queue up while another runs are
 * committed together (group commit): one BEGIN/COMMIT for many actor steps. If the group fails, each of its
 * transactions runs again alone, so one failure never takes another's work with it.
 */
export function transaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'sqlite') return dataSource.transaction(work);
  return new Promise<T>((resolve, reject) => {
    const entry: PendingTransaction = { work, resolve: resolve as (value: unknown) => void, reject };
    const open = openGroups.get(dataSource);
    if (open !== undefined && open.length < MAX_GROUP) {
      open.push(entry);
      return;
    }
    const group = [entry];
    openGroups.set(dataSource, group);
    void withWriteLock(dataSource, async () => {
      if (openGroups.get(dataSource) === group) openGroups.delete(dataSource);
      await commitGroup(dataSource, group);
    });
  });
}

async function commitGroup(dataSource: DataSource, group: readonly PendingTransaction[]): Promise<void> {
  if (group.length > 1) {
    try {
      const results = await dataSource.transaction(async (manager) => {
        const values: unknown[] = [];
        for (const entry of group) values.push(await entry.work(manager));
        return values;
      });
      group.forEach((entry, index) => entry.resolve(results[index]));
      return;
    } catch {
      // One of them failed and rolled the group back: run each alone below.
    }
  }
  for (const entry of group) {
    try {
      entry.resolve(await dataSource.transaction(entry.work));
    } catch (error) {
      entry.reject(error);
    }
  }
}
