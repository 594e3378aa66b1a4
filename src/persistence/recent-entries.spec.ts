import { RecentEntries } from './recent-entries.js';

describe('RecentEntries', () => {
  it('finds a key in its scope only, counts each once', () => {
    const entries = new RecentEntries();
    entries.add('a', 'x', 1_000);
    entries.add('a', 'x', 1_000);
    entries.add('b', 'y', 500_000);
    expect(entries.has('a', 'x')).toBe(true);
    expect(entries.has('b', 'x')).toBe(false);
    expect(entries.has('a', 'x\nb')).toBe(false);
    expect(entries.size()).toBe(2);
  });

  it('forgets a key once its whole bucket has expired, never before its expiry', () => {
    const entries = new RecentEntries();
    entries.add('s', 'k', 90_000);
    entries.prune(90_000);
    expect(entries.has('s', 'k')).toBe(true);
    entries.prune(120_000);
    expect(entries.has('s', 'k')).toBe(false);
    expect(entries.size()).toBe(0);
  });
});
