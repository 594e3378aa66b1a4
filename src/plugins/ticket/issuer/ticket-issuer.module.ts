import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ExternalPartyController } from '../../../external/transport/external-party.controller.js';
import { FRAME_HANDLER, type FrameHandler } from '../../../external/transport/frame-handler.js';
import { MessageCodec } from '../../../protocol/codec.js';
import { Envelope } from '../../../protocol/envelope.js';
import { MessageRegistry } from '../../../protocol/message-registry.js';
import { toHex } from '../../../common/bytes.js';
import { IssuerDatabase } from './issuer-database.js';
import { IssuerFrameHandler, ISSUER_INBOUND_MESSAGES } from './issuer-frame-handler.js';
import type { ReferenceTicketIssuerOptions } from './issuer-options.js';
import { IssuerReadModel } from './issuer-read-model.js';
import { seedCatalogue } from './seed-catalogue.js';

function frameHandler(options: ReferenceTicketIssuerOptions, db: IssuerDatabase): IssuerFrameHandler {
  const envelope = new Envelope(options.crypto);
  const codec = new MessageCodec(envelope, new MessageRegistry().register(...ISSUER_INBOUND_MESSAGES), options.clock, { maxSkewMs: options.maxSkewMs, numberRetentionMs: 2 * options.maxSkewMs });
  const me = { id: options.id, sealingSecretKey: options.keys.sealing.secretKey, sealingPublicKey: options.keys.sealing.publicKey };
  return new IssuerFrameHandler(codec, me, options.serviceProvider, {
    id: options.id,
    signer: { kid: options.id, secretKey: options.keys.signing.secretKey },
    envelope,
    crypto: options.crypto,
    clock: options.clock,
    db,
    policy: options.policy,
    tpsId: options.tpsId,
    newNumber: (prefix) => `${prefix}${toHex(options.crypto.randomBytes(10))}`,
  });
}

/** The reference ticket issuing system as a Nest module: serve it with a TCP microservice (startReferenceTicketIssuer). */
@Module({})
export class TicketIssuerModule implements OnApplicationShutdown {
  constructor(@Inject(IssuerDatabase) private readonly database: IssuerDatabase) {}

  static forRoot(options: ReferenceTicketIssuerOptions): DynamicModule {
    return {
      module: TicketIssuerModule,
      controllers: [ExternalPartyController],
      providers: [
        {
          provide: IssuerDatabase,
          useFactory: async () => {
            const db = await IssuerDatabase.open(options.database);
            await db.transaction((em) => seedCatalogue(em, options.catalogue));
            return db;
          },
        },
        { provide: IssuerReadModel, useFactory: (db: IssuerDatabase) => new IssuerReadModel(db), inject: [IssuerDatabase] },
        { provide: IssuerFrameHandler, useFactory: (db: IssuerDatabase) => frameHandler(options, db), inject: [IssuerDatabase] },
        { provide: FRAME_HANDLER, useFactory: (handler: IssuerFrameHandler): FrameHandler => (frame) => handler.handle(frame), inject: [IssuerFrameHandler] },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
