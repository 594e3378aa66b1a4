import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { systemClock } from '../../common/clock.js';
import { MessageCodec } from '../../protocol/codec.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../protocol/crypto/node-backend.js';
import { Envelope } from '../../protocol/envelope.js';
import { invariant } from '../../protocol/errors.js';
import { MessageRegistry } from '../../protocol/message-registry.js';
import { ExternalPartyController } from '../transport/external-party.controller.js';
import { FRAME_HANDLER, type FrameHandler } from '../transport/frame-handler.js';
import { Ledger } from './ledger/ledger.js';
import { TpsDatabase } from './ledger/tps-database.js';
import { TpsFrameHandler } from './tps-frame-handler.js';
import { transactionProcessingRequests } from './tps-messages.js';
import { DEFAULT_MAX_SKEW_MS, type TransactionProcessingOptions } from './tps-options.js';
import { TpsReadModel } from './tps-read-model.js';

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** A key pair that does not match would make every answer unverifiable: fail at start, not at the first clearing. */
function assertKeyPairs(options: TransactionProcessingOptions, crypto: CryptoBackend): void {
  invariant(sameBytes(crypto.ed25519PublicKey(options.keys.signing.secretKey), options.keys.signing.publicKey), 'TPS signing key pair does not match');
  invariant(sameBytes(crypto.x25519PublicKey(options.keys.sealing.secretKey), options.keys.sealing.publicKey), 'TPS sealing key pair does not match');
}

function createFrameHandler(options: TransactionProcessingOptions, crypto: CryptoBackend, ledger: Ledger): TpsFrameHandler {
  const registry = new MessageRegistry().register(...transactionProcessingRequests);
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const codec = new MessageCodec(new Envelope(crypto), registry, options.clock ?? systemClock, { maxSkewMs, numberRetentionMs: 2 * maxSkewMs });
  const me = { id: options.id, sealingSecretKey: options.keys.sealing.secretKey, sealingPublicKey: options.keys.sealing.publicKey, signingSecretKey: options.keys.signing.secretKey };
  return new TpsFrameHandler(codec, me, options.serviceProvider, ledger);
}

/** The reference transaction processing system as a Nest module: serve it with a TCP microservice (startReferenceTps). */
@Module({})
export class TransactionProcessingModule implements OnApplicationShutdown {
  constructor(@Inject(TpsDatabase) private readonly database: TpsDatabase) {}

  static forRoot(options: TransactionProcessingOptions): DynamicModule {
    const crypto = options.crypto ?? new NodeCryptoBackend();
    assertKeyPairs(options, crypto);
    return {
      module: TransactionProcessingModule,
      controllers: [ExternalPartyController],
      providers: [
        { provide: TpsDatabase, useFactory: () => TpsDatabase.open(options.database) },
        { provide: Ledger, useFactory: (db: TpsDatabase) => new Ledger(db, options.clock ?? systemClock, options.id), inject: [TpsDatabase] },
        { provide: TpsReadModel, useFactory: (db: TpsDatabase) => new TpsReadModel(db), inject: [TpsDatabase] },
        { provide: TpsFrameHandler, useFactory: (ledger: Ledger) => createFrameHandler(options, crypto, ledger), inject: [Ledger] },
        { provide: FRAME_HANDLER, useFactory: (handler: TpsFrameHandler): FrameHandler => (frame) => handler.handle(frame), inject: [TpsFrameHandler] },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
