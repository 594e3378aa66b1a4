// Proves the memory outbox keeps entries in send order until removed, and is bounded.
import { MemoryOutbox } from './memory-outbox.js';
import { OutboxFullError } from './outbox.js';

describe('MemoryOutbox', () => {
  it('keeps entries in order until removed', async () => {
    const sut = new MemoryOutbox();
    const first = await sut.add(new Uint8Array([1]));
    await sut.add(new Uint8Array([2]));
    await sut.remove(first.id);
    expect((await sut.load()).map((entry) => entry.payload[0])).toEqual([2]);
    expect(sut.size).toBe(1);
  });

  it('copies the payload, so a caller reusing its buffer cannot change a pending uplink', async () => {
    const sut = new MemoryOutbox();
    const payload = new Uint8Array([1]);
    const entry = await sut.add(payload);
    payload[0] = 9;
    expect(entry.payload[0]).toBe(1);
  });

  it('refuses to add past its capacity', async () => {
    const sut = new MemoryOutbox(1);
    await sut.add(new Uint8Array([1]));
    await expect(sut.add(new Uint8Array([2]))).rejects.toBeInstanceOf(OutboxFullError);
  });
});
