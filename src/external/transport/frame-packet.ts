import { ProtocolError } from '../../protocol/errors.js';

/** The one message pattern every external party answers: a sealed Tessera frame in, a sealed frame out. */
export const EXTERNAL_FRAME_PATTERN = 'tessera.frame';

/** The wire shape of both the request and the reply: base64 of the frame bytes (Nest's TCP transport speaks JSON). */
export interface FramePacket {
  readonly frame: string;
}

/** Generous for a daily clearing batch, small enough that one peer cannot make the party buffer without bound. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeFramePacket(frame: Uint8Array): FramePacket {
  return { frame: Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('base64') };
}

/** Decodes untrusted packet data; anything that is not `{ frame: <canonical base64> }` is `malformed`. */
export function decodeFramePacket(data: unknown): Uint8Array {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ProtocolError('malformed', 'packet is not an object');
  const keys = Object.keys(data);
  const frame: unknown = (data as Record<string, unknown>)['frame'];
  if (keys.length !== 1 || typeof frame !== 'string') throw new ProtocolError('malformed', 'packet must be { frame: string }');
  if (frame.length === 0 || frame.length > Math.ceil(MAX_FRAME_BYTES / 3) * 4) throw new ProtocolError('malformed', 'frame size out of bounds');
  if (!BASE64.test(frame)) throw new ProtocolError('malformed', 'frame is not base64');
  return new Uint8Array(Buffer.from(frame, 'base64'));
}
