import type { Clock } from '../../common/clock.js';

/**
 * Remembers the nonces of accepted connect tokens until they would be stale anyway, so a token seen on the wire
 * cannot be replayed within the skew window. Bounded: when full of live nonces it refuses new ones (the caller
 * refuses the CONNECT) rather than forgetting one that could then be replayed.
 */
export class TokenReplayGuard {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly maxSkewMs: number,
    private readonly capacity: number = 100_000,
  ) {
    if (!(capacity > 0)) throw new RangeError('TokenReplayGuard capacity must be positive');
  }

  /** Records the nonce; 'replay' if it is already remembered, 'full' if no room is left. */
  admit(nonce: Uint8Array, issuedAtMs: number): 'admitted' | 'replay' | 'full' {
    this.forgetExpired();
    const key = Buffer.from(nonce).toString('base64');
    if (this.expiries.has(key)) return 'replay';
    if (this.expiries.size >= this.capacity) return 'full';
    this.expiries.set(key, issuedAtMs + this.maxSkewMs);
    return 'admitted';
  }

  get size(): number {
    return this.expiries.size;
  }

  /** Expiries are mostly in insertion order; stop at the first live one to keep each call cheap. */
  private forgetExpired(): void {
    const now = this.clock.now();
    for (const [key, expiresAt] of this.expiries) {
      if (expiresAt >= now) return;
      this.expiries.delete(key);
    }
  }
}
