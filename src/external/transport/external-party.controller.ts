import { Controller, Inject, Logger } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { EXTERNAL_FRAME_PATTERN, decodeFramePacket, encodeFramePacket, type FramePacket } from './frame-packet.js';
import { FRAME_HANDLER, type FrameHandler } from './frame-handler.js';
import { frameRefusalOf } from './frame-refusal.js';

/**
 * The external party's end of the wire: one pattern, one handler. Every failure becomes a typed error reply
 * (a FrameRefusal) and a log line; nothing thrown here reaches the transport.
 */
@Controller()
export class ExternalPartyController {
  private readonly logger = new Logger('ExternalParty');

  constructor(@Inject(FRAME_HANDLER) private readonly handle: FrameHandler) {}

  @MessagePattern(EXTERNAL_FRAME_PATTERN)
  async exchange(@Payload() data: unknown): Promise<FramePacket> {
    try {
      return encodeFramePacket(await this.handle(decodeFramePacket(data)));
    } catch (error) {
      const refusal = frameRefusalOf(error);
      if (refusal.reason === 'internal') this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      else this.logger.warn(`frame refused: ${refusal.message}`);
      throw new RpcException(refusal);
    }
  }
}
