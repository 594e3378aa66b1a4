// Proves the file outbox keeps one file per pending uplink, removes it on acknowledgement and replays in order after a restart.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileOutbox } from './file-outbox.js';
import { OutboxFullError } from './outbox.js';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe('FileOutbox', () => {
  let dir: string;

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'tessera-outbox-')), 'outbox');
  });

  afterEach(async () => {
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('writes one file per entry and removes it on acknowledgement', async () => {
    const sut = new FileOutbox(dir);
    expect(await sut.load()).toEqual([]);
    const first = await sut.add(bytes(1));
    await sut.add(bytes(2));
    expect(await readdir(dir)).toHaveLength(2);
    await sut.remove(first.id);
    expect(await readdir(dir)).toHaveLength(1);
    expect(sut.size).toBe(1);
  });

  it('replays what an earlier run left, oldest first, and continues the sequence', async () => {
    const earlier = new FileOutbox(dir);
    await earlier.load();
    for (let i = 1; i <= 11; i += 1) await earlier.add(bytes(i));
    const sut = new FileOutbox(dir);
    const replayed = await sut.load();
    expect(replayed.map((entry) => entry.payload[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const next = await sut.add(bytes(12));
    expect(next.id > (replayed.at(-1)?.id ?? '')).toBe(true);
  });

  it('discards an interrupted write and ignores foreign files', async () => {
    const earlier = new FileOutbox(dir);
    await earlier.load();
    await earlier.add(bytes(7));
    await writeFile(join(dir, '0000000000000009.up.tmp'), bytes(9));
    await writeFile(join(dir, 'README'), 'not an entry');
    const sut = new FileOutbox(dir);
    expect((await sut.load()).map((entry) => entry.payload[0])).toEqual([7]);
    expect((await readdir(dir)).sort()).toEqual(['0000000000000001.up', 'README']);
  });

  it('refuses to add past its capacity', async () => {
    const sut = new FileOutbox(dir, 1);
    await sut.load();
    await sut.add(bytes(1));
    await expect(sut.add(bytes(2))).rejects.toBeInstanceOf(OutboxFullError);
  });

  it('must be loaded before use', async () => {
    await expect(new FileOutbox(dir).add(bytes(1))).rejects.toThrow(/load/);
  });

  it('tolerates removing an entry twice', async () => {
    const sut = new FileOutbox(dir);
    await sut.load();
    const entry = await sut.add(bytes(1));
    await sut.remove(entry.id);
    await expect(sut.remove(entry.id)).resolves.toBeUndefined();
  });
});
