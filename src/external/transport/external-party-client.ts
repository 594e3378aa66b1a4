import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { TimeoutError, firstValueFrom, timeout } from 'rxjs';
import { EXTERNAL_FRAME_PATTERN, decodeFramePacket, encodeFramePacket, type FramePacket } from './frame-packet.js';
import { ExternalPartyError } from './external-party-error.js';
import { isFrameRefusal } from './frame-refusal.js';
import { isProtocolError } from '../../protocol/errors.js';

export interface ExternalPartyAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * The SP's end of the wire to one external party (an issuing system, the transaction processing system).
 * It moves sealed frames only: composing, sealing and verifying them is the caller's codec's job.
 */
export class ExternalPartyClient {
  private readonly proxy: ClientProxy;

  constructor(readonly address: ExternalPartyAddress) {
    this.proxy = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: address.host, port: address.port } });
  }

  /** Connects now; otherwise the first exchange does. Rejects with `unreachable`. */
  async connect(): Promise<void> {
    try {
      await this.proxy.connect();
    } catch (error) {
      throw toExternalPartyError(error, 0);
    }
  }

  /** Sends one frame and resolves with the party's reply frame; rejects only with an ExternalPartyError. */
  async exchange(frame: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    let reply: unknown;
    try {
      reply = await firstValueFrom(this.proxy.send<unknown, FramePacket>(EXTERNAL_FRAME_PATTERN, encodeFramePacket(frame)).pipe(timeout({ first: timeoutMs })));
    } catch (error) {
      throw toExternalPartyError(error, timeoutMs);
    }
    try {
      return decodeFramePacket(reply);
    } catch (error) {
      throw new ExternalPartyError('bad-reply', isProtocolError(error) ? error.message : 'unreadable reply');
    }
  }

  async close(): Promise<void> {
    await this.proxy.close();
  }
}

function toExternalPartyError(error: unknown, timeoutMs: number): ExternalPartyError {
  if (error instanceof TimeoutError) return new ExternalPartyError('timeout', `no reply within ${timeoutMs} ms`);
  if (isFrameRefusal(error)) return new ExternalPartyError('refused', error.message, error.reason);
  if (isSocketError(error)) return new ExternalPartyError('unreachable', `${error.code ?? ''} ${error.message}`.trim());
  // Nest's own error replies (no handler for the pattern, an exception it could not map) carry no reason of ours.
  if (typeof error === 'object' && error !== null && (error as Record<string, unknown>)['status'] === 'error') {
    return new ExternalPartyError('refused', 'the party could not handle the frame', 'internal');
  }
  return new ExternalPartyError('bad-reply', typeof error === 'string' ? error : 'unexpected error reply');
}

/**
 * Socket errors (ECONNREFUSED, a connection closed under a pending request). Duck-typed: they may come from
 * another realm than this module's Error (as under Jest's VM modules), where instanceof fails.
 */
function isSocketError(error: unknown): error is { message: string; code?: string } {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as Record<string, unknown>;
  return typeof candidate['message'] === 'string' && (candidate['code'] === undefined || typeof candidate['code'] === 'string') && candidate['status'] !== 'error';
}
