/** An item waiting in a mailbox, settled by the consumer that takes it. */
export interface Letter<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Takes letters from the front of a group and settles them; returns how many it settled (at least one). A group is
 * every letter that queued while the previous group was worked on, so a busy key is served a batch at a time.
 */
export type GroupConsumer<T> = (key: string, letters: readonly Letter<T>[]) => Promise<number>;

interface Mailbox<T> {
  readonly pending: Letter<T>[];
  readonly drained: Promise<void>;
}

/** One serial queue per key: a key's letters are consumed one group at a time, in the order they were posted. */
export class Mailboxes<T> {
  private readonly boxes = new Map<string, Mailbox<T>>();

  constructor(
    private readonly consume: GroupConsumer<T>,
    private readonly maxGroup: number,
  ) {}

  /** Resolves or rejects when the letter's group has been consumed. */
  post(key: string, item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const letter: Letter<T> = { item, resolve, reject };
      const box = this.boxes.get(key);
      if (box !== undefined) {
        box.pending.push(letter);
        return;
      }
      const pending = [letter];
      this.boxes.set(key, { pending, drained: this.drain(key, pending) });
    });
  }

  /** Whether the key has letters waiting or being consumed. */
  busy(key: string): boolean {
    return this.boxes.has(key);
  }

  /** Resolves once every mailbox is empty, including letters posted while waiting. */
  async idle(): Promise<void> {
    while (this.boxes.size > 0) await Promise.all([...this.boxes.values()].map((box) => box.drained));
  }

  private async drain(key: string, pending: Letter<T>[]): Promise<void> {
    // Letters posted in this turn join the first group.
    await Promise.resolve();
    while (pending.length > 0) {
      const group = pending.splice(0, this.maxGroup);
      let start = 0;
      while (start < group.length) {
        const letters = group.slice(start);
        try {
          start += Math.max(1, await this.consume(key, letters));
        } catch (error) {
          letters[0]?.reject(error);
          start += 1;
        }
      }
    }
    this.boxes.delete(key);
  }
}
