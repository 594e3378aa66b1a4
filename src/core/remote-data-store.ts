import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock.js';
import { BoundedCache } from '../persistence/bounded-cache.js';
import { RemoteDataEntity } from '../persistence/entities/remote-data.entity.js';
import { withWriteLock } from '../persistence/write-lock.js';

/** Documents (and known absences) kept in memory: remote access reads them on every request. */
const CACHE_ENTRIES = 1024;

/**
 * Data the service provider holds at remote addresses, served by the remote access process. This process is the only
 * writer of the table, so a read-through cache that `put` updates after its commit never serves stale data.
 */
export class RemoteDataStore {
  private readonly cache = new BoundedCache<string, RemoteDataEntity | null>(CACHE_ENTRIES);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async get(address: string): Promise<RemoteDataEntity | null> {
    const cached = this.cache.get(address);
    if (cached !== undefined) return cached;
    const row = await this.dataSource.getRepository(RemoteDataEntity).findOneBy({ address });
    this.cache.set(address, row);
    return row;
  }

  async put(address: string, contentType: string, data: Uint8Array): Promise<void> {
    const row = { address, contentType, data: Buffer.from(data).toString('base64'), updatedAt: this.clock.now() };
    this.cache.delete(address);
    await withWriteLock(this.dataSource, () => this.dataSource.getRepository(RemoteDataEntity).save(row));
    this.cache.set(address, Object.assign(new RemoteDataEntity(), row));
  }

  async list(): Promise<Pick<RemoteDataEntity, 'address' | 'contentType' | 'updatedAt'>[]> {
    return this.dataSource.getRepository(RemoteDataEntity).find({ select: { address: true, contentType: true, updatedAt: true }, order: { address: 'ASC' } });
  }
}
