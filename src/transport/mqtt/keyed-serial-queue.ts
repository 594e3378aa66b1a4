/**
 * Runs tasks one at a time per key (a device), keys in parallel. Order per key is the order of `enqueue`.
 * A task that throws is reported to `onError` and never stops the tasks after it.
 */
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private count = 0;
  private readonly waiters = new Set<{ readonly limit: number; readonly resolve: () => void }>();

  constructor(private readonly onError: (key: string, error: unknown) => void) {}

  enqueue(key: string, task: () => Promise<void> | void): void {
    this.count += 1;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next: Promise<void> = previous
      .then(() => task())
      .catch((error: unknown) => this.report(key, error))
      .finally(() => {
        this.count -= 1;
        if (this.tails.get(key) === next) this.tails.delete(key);
        this.wake();
      });
    this.tails.set(key, next);
  }

  /** Tasks queued or running, over all keys. */
  get pending(): number {
    return this.count;
  }

  /** Resolves once fewer than `limit` tasks are pending (backpressure). */
  whenBelow(limit: number): Promise<void> {
    if (this.count < limit) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add({ limit, resolve }));
  }

  idle(): Promise<void> {
    return this.whenBelow(1);
  }

  private wake(): void {
    for (const waiter of this.waiters) {
      if (this.count < waiter.limit) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private report(key: string, error: unknown): void {
    try {
      this.onError(key, error);
    } catch {
      // An error reporter that fails must not break the chain of the tasks after it.
    }
  }
}
