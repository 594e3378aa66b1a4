import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock.js';
import { RemoteDataEntity } from '../persistence/entities/remote-data.entity.js';
import { withWriteLock } from '../persistence/write-lock.js';

/** Data the service provider holds at remote addresses, served by the remote access process. */
export class RemoteDataStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async get(address: string): Promise<RemoteDataEntity | null> {
    return this.dataSource.getRepository(RemoteDataEntity).findOneBy({ address });
  }

  async put(address: string, contentType: string, data: Uint8Array): Promise<void> {
    await withWriteLock(this.dataSource, () => this.dataSource.getRepository(RemoteDataEntity).save({ address, contentType, data: Buffer.from(data).toString('base64'), updatedAt: this.clock.now() }));
  }

  async list(): Promise<Pick<RemoteDataEntity, 'address' | 'contentType' | 'updatedAt'>[]> {
    return this.dataSource.getRepository(RemoteDataEntity).find({ select: { address: true, contentType: true, updatedAt: true }, order: { address: 'ASC' } });
  }
}
