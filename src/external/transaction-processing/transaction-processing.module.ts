import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { systemClock } from '../../common/clock.js';
import { NodeCryptoBackend } from '../../protocol/crypto/node-backend.js';
import { ExternalPartyController } from '../transport/external-party.controller.js';
import { FRAME_HANDLER, type FrameHandler } from '../transport/frame-handler.js';
import { Ledger } from './ledger/ledger.js';
import { TpsDatabase } from './ledger/tps-database.js';
import { assertTpsKeyPairs, createTpsFrameHandler } from './create-tps-frame-handler.js';
import { TpsFrameHandler } from './tps-frame-handler.js';
import type { TransactionProcessingOptions } from './tps-options.js';
import { TpsReadModel } from './tps-read-model.js';

/** The reference transaction processing system as a Nest module: serve it with a TCP microservice (startReferenceTps). */
@Module({})
export class TransactionProcessingModule implements OnApplicationShutdown {
  constructor(@Inject(TpsDatabase) private readonly database: TpsDatabase) {}

  static forRoot(options: TransactionProcessingOptions): DynamicModule {
    const crypto = options.crypto ?? new NodeCryptoBackend();
    assertTpsKeyPairs(options, crypto);
    return {
      module: TransactionProcessingModule,
      controllers: [ExternalPartyController],
      providers: [
        { provide: TpsDatabase, useFactory: () => TpsDatabase.open(options.database) },
        { provide: Ledger, useFactory: (db: TpsDatabase) => new Ledger(db, options.clock ?? systemClock, options.id), inject: [TpsDatabase] },
        { provide: TpsReadModel, useFactory: (db: TpsDatabase) => new TpsReadModel(db), inject: [TpsDatabase] },
        { provide: TpsFrameHandler, useFactory: (ledger: Ledger) => createTpsFrameHandler(options, crypto, ledger), inject: [Ledger] },
        { provide: FRAME_HANDLER, useFactory: (handler: TpsFrameHandler): FrameHandler => (frame) => handler.handle(frame), inject: [TpsFrameHandler] },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
