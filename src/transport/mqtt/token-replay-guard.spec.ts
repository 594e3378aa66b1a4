// Proves a connect-token nonce is refused while it could still verify, forgotten after, and that the guard is bounded.
import { ManualClock } from '../../common/clock.js';
import { TokenReplayGuard } from './token-replay-guard.js';

const SKEW_MS = 30_000;

function nonce(byte: number): Uint8Array {
  return new Uint8Array(16).fill(byte);
}

describe('TokenReplayGuard', () => {
  it('admits a nonce once and refuses it again within the skew', () => {
    const clock = new ManualClock();
    const sut = new TokenReplayGuard(clock, SKEW_MS);
    expect(sut.admit(nonce(1), clock.now())).toBe('admitted');
    clock.advance(SKEW_MS);
    expect(sut.admit(nonce(1), clock.now() - SKEW_MS)).toBe('replay');
  });

  it('forgets a nonce once its token is stale anyway', () => {
    const clock = new ManualClock();
    const sut = new TokenReplayGuard(clock, SKEW_MS);
    const issuedAt = clock.now();
    sut.admit(nonce(1), issuedAt);
    clock.advance(SKEW_MS + 1);
    sut.admit(nonce(2), clock.now());
    expect(sut.size).toBe(1);
  });

  it('refuses new nonces when full of live ones instead of forgetting one', () => {
    const clock = new ManualClock();
    const sut = new TokenReplayGuard(clock, SKEW_MS, 2);
    expect(sut.admit(nonce(1), clock.now())).toBe('admitted');
    expect(sut.admit(nonce(2), clock.now())).toBe('admitted');
    expect(sut.admit(nonce(3), clock.now())).toBe('full');
    expect(sut.admit(nonce(1), clock.now())).toBe('replay');
    clock.advance(SKEW_MS + 1);
    expect(sut.admit(nonce(3), clock.now())).toBe('admitted');
  });
});
