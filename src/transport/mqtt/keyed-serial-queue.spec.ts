// Proves tasks run in order per key, in parallel across keys, survive a throwing task, and report backpressure.
import { KeyedSerialQueue } from './keyed-serial-queue.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedSerialQueue', () => {
  it('runs one key in order, one task at a time', async () => {
    const sut = new KeyedSerialQueue(() => undefined);
    const seen: string[] = [];
    const gate = deferred();
    sut.enqueue('a', async () => {
      seen.push('a1 start');
      await gate.promise;
      seen.push('a1 end');
    });
    sut.enqueue('a', () => {
      seen.push('a2');
    });
    await Promise.resolve();
    expect(seen).toEqual(['a1 start']);
    gate.resolve();
    await sut.idle();
    expect(seen).toEqual(['a1 start', 'a1 end', 'a2']);
  });

  it('does not hold one key behind another', async () => {
    const sut = new KeyedSerialQueue(() => undefined);
    const stuck = deferred();
    const seen: string[] = [];
    sut.enqueue('slow', () => stuck.promise);
    sut.enqueue('fast', () => {
      seen.push('fast');
    });
    await sut.whenBelow(2);
    expect(seen).toEqual(['fast']);
    expect(sut.pending).toBe(1);
    stuck.resolve();
    await sut.idle();
  });

  it('reports a throwing task and runs the next one', async () => {
    const errors: Array<[string, unknown]> = [];
    const sut = new KeyedSerialQueue((key, error) => errors.push([key, error]));
    const seen: number[] = [];
    sut.enqueue('a', () => {
      throw new Error('boom');
    });
    sut.enqueue('a', async () => {
      seen.push(2);
    });
    await sut.idle();
    expect(seen).toEqual([2]);
    expect(errors).toEqual([['a', new Error('boom')]]);
  });

  it('survives an error reporter that throws', async () => {
    const sut = new KeyedSerialQueue(() => {
      throw new Error('reporter broke');
    });
    const seen: number[] = [];
    sut.enqueue('a', () => Promise.reject(new Error('boom')));
    sut.enqueue('a', () => {
      seen.push(2);
    });
    await sut.idle();
    expect(seen).toEqual([2]);
  });
});
