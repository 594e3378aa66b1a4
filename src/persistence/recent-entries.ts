/** Width of one expiry bucket: pruning drops whole buckets, so an entry outlives its expiry by at most this. */
const BUCKET_MS = 60_000;

/**
 * Keys with an expiry time, held in sets by expiry bucket: a look-up asks each live bucket (a few dozen for a window
 * of minutes), and forgetting the expired is dropping whole buckets, never a walk over every key.
 */
export class RecentEntries {
  private readonly buckets = new Map<number, Set<string>>();
  private count = 0;

  has(scope: string, entry: string): boolean {
    const key = keyOf(scope, entry);
    for (const bucket of this.buckets.values()) if (bucket.has(key)) return true;
    return false;
  }

  add(scope: string, entry: string, expiresAt: number): void {
    const index = Math.floor(expiresAt / BUCKET_MS);
    let bucket = this.buckets.get(index);
    if (bucket === undefined) {
      bucket = new Set();
      this.buckets.set(index, bucket);
    }
    const before = bucket.size;
    bucket.add(keyOf(scope, entry));
    this.count += bucket.size - before;
  }

  /** Forgets the buckets whose every entry expired before `now`. */
  prune(now: number): void {
    for (const [index, bucket] of this.buckets) {
      if ((index + 1) * BUCKET_MS <= now) {
        this.count -= bucket.size;
        this.buckets.delete(index);
      }
    }
  }

  size(): number {
    return this.count;
  }
}

const keyOf = (scope: string, entry: string): string => `${scope}\n${entry}`;
