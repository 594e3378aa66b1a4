import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { decodeStrict, encodeCanonical } from '../../protocol/cbor.js';
import { ProtocolError } from '../../protocol/errors.js';

/** Largest compressed packet carried by one upload or update data message. */
export const PACKET_BYTES = 16 * 1024;
/** Bound on packets per exchange, and on the inflated size, so a peer cannot make us hold unbounded data. */
export const MAX_PACKETS = 64;
export const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

/** Encodes a value as canonical CBOR, compresses it (raw deflate) and splits it into numbered packets. */
export function toPackets(value: unknown, packetBytes = PACKET_BYTES): Uint8Array[] {
  const compressed = new Uint8Array(deflateRawSync(encodeCanonical(value)));
  const packets: Uint8Array[] = [];
  for (let offset = 0; offset < compressed.length || packets.length === 0; offset += packetBytes) packets.push(compressed.subarray(offset, offset + packetBytes));
  if (packets.length > MAX_PACKETS) throw new RangeError(`${packets.length} packets exceed the limit of ${MAX_PACKETS}`);
  return packets;
}

/** Joins packets (in packet-number order), inflates and decodes them; malformed input is a ProtocolError. */
export function fromPackets(packets: readonly Uint8Array[]): unknown {
  const total = packets.reduce((sum, packet) => sum + packet.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const packet of packets) {
    joined.set(packet, offset);
    offset += packet.length;
  }
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(joined, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (error) {
    throw new ProtocolError('malformed', `packets do not inflate (${error instanceof Error ? error.message : String(error)})`);
  }
  return decodeStrict(new Uint8Array(inflated));
}
