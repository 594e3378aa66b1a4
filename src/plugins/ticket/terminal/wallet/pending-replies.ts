/** Promises of wallet commands waiting for the SP's answer to a request number (in memory: a restart forgets them). */
export class PendingReplies<T> {
  private readonly waiting = new Map<string, { resolve: (value: T) => void; timer: NodeJS.Timeout }>();

  wait(requestNumber: string, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestNumber);
        reject(new Error(`no ${what} for request ${requestNumber} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(requestNumber, { resolve, timer });
    });
  }

  settle(requestNumber: string, value: T): void {
    const entry = this.waiting.get(requestNumber);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.waiting.delete(requestNumber);
    entry.resolve(value);
  }
}
