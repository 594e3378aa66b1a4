import { Module, type DynamicModule } from '@nestjs/common';
import { ExternalPartyController } from './external-party.controller.js';
import { FRAME_HANDLER, type FrameHandler } from './frame-handler.js';

/**
 * Serves one FrameHandler on the frame pattern. For a party whose handler needs DI, list
 * ExternalPartyController in its own module and provide FRAME_HANDLER there instead.
 */
@Module({})
export class ExternalPartyServerModule {
  static forHandler(handler: FrameHandler): DynamicModule {
    return { module: ExternalPartyServerModule, controllers: [ExternalPartyController], providers: [{ provide: FRAME_HANDLER, useValue: handler }] };
  }
}
