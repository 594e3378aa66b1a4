import { Mailboxes, type Letter } from './mailboxes.js';

/** A consumer that records each group and settles letters by a rule: 'ok' resolves, 'bad' rejects, 'stop' ends a group. */
function recorder(): { groups: string[][]; consume: (key: string, letters: readonly Letter<string>[]) => Promise<number> } {
  const groups: string[][] = [];
  return {
    groups,
    async consume(_key, letters) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const taken: Letter<string>[] = [];
      for (const letter of letters) {
        taken.push(letter);
        if (letter.item === 'stop') break;
      }
      groups.push(taken.map((letter) => letter.item));
      for (const letter of taken) {
        if (letter.item === 'bad') letter.reject(new Error('bad'));
        else letter.resolve();
      }
      return taken.length;
    },
  };
}

describe('Mailboxes', () => {
  it('serves a key one group at a time: what queues during a group is the next group, in order', async () => {
    const { groups, consume } = recorder();
    const boxes = new Mailboxes(consume, 64);
    const first = boxes.post('a', 'a1');
    await new Promise((resolve) => setTimeout(resolve, 1));
    const later = ['a2', 'a3', 'a4'].map((item) => boxes.post('a', item));
    await Promise.all([first, ...later]);
    expect(groups).toEqual([['a1'], ['a2', 'a3', 'a4']]);
    expect(boxes.busy('a')).toBe(false);
  });

  it('takes letters posted in the same turn as one group, and never more than the group limit', async () => {
    const { groups, consume } = recorder();
    const boxes = new Mailboxes(consume, 2);
    await Promise.all(['1', '2', '3', '4', '5'].map((item) => boxes.post('k', item)));
    expect(groups).toEqual([['1', '2'], ['3', '4'], ['5']]);
  });

  it('gives the letters a consumer did not take to its next call, and settles each letter as the consumer did', async () => {
    const { groups, consume } = recorder();
    const boxes = new Mailboxes(consume, 64);
    const results = await Promise.allSettled(['x', 'bad', 'stop', 'y'].map((item) => boxes.post('k', item)));
    expect(groups).toEqual([['x', 'bad', 'stop'], ['y']]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  });

  it('rejects the first letter when the consumer throws, and goes on with the rest', async () => {
    const seen: string[] = [];
    const boxes = new Mailboxes<string>(async (_key, letters) => {
      seen.push(letters.map((letter) => letter.item).join(','));
      if (letters[0]?.item === 'boom') throw new Error('boom');
      for (const letter of letters) letter.resolve();
      return letters.length;
    }, 64);
    const results = await Promise.allSettled(['boom', 'after'].map((item) => boxes.post('k', item)));
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
    expect(seen).toEqual(['boom,after', 'after']);
  });

  it('keeps keys apart, and idle() waits for letters posted while it waits', async () => {
    const { groups, consume } = recorder();
    const boxes = new Mailboxes(consume, 64);
    void boxes.post('a', 'a1');
    void boxes.post('b', 'b1').then(() => void boxes.post('b', 'b2'));
    await boxes.idle();
    expect(groups.map((group) => group.join())).toEqual(expect.arrayContaining(['a1', 'b1', 'b2']));
    expect(groups).toHaveLength(3);
    expect(boxes.busy('a') || boxes.busy('b')).toBe(false);
  });
});
