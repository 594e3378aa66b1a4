import { MAX_PACKETS } from '../../core/data-update/packets.js';
import type { UpdatePacket } from './downlink-events.js';

export type CollectResult =
  | { readonly status: 'incomplete' | 'duplicate' }
  /** The packets in packet-number order, ready for `fromPackets`. */
  | { readonly status: 'complete'; readonly packets: readonly Uint8Array[] }
  /** A packet contradicts the others (count changed, number out of range): the collection is dropped. */
  | { readonly status: 'inconsistent'; readonly reason: string };

interface Collection {
  readonly count: number;
  readonly packets: Map<number, Uint8Array>;
}

/**
 * Gathers update data packets per process group, in any order; a duplicate is ignored. Bounded: at most
 * `maxGroups` groups at once (the oldest is dropped) and MAX_PACKETS per group.
 */
export class UpdatePacketCollector {
  private readonly groups = new Map<string, Collection>();

  constructor(private readonly maxGroups = 4) {}

  add(packet: UpdatePacket): CollectResult {
    const { pg, packetNumber, packetCount } = packet;
    if (packetCount > MAX_PACKETS || packetNumber < 1 || packetNumber > packetCount) return this.drop(pg, `packet ${packetNumber} of ${packetCount}`);
    const group = this.groups.get(pg) ?? this.open(pg, packetCount);
    if (group.count !== packetCount) return this.drop(pg, `packet count ${packetCount} after ${group.count}`);
    if (group.packets.has(packetNumber)) return { status: 'duplicate' };
    group.packets.set(packetNumber, packet.data);
    if (group.packets.size < group.count) return { status: 'incomplete' };
    this.groups.delete(pg);
    return { status: 'complete', packets: [...group.packets.entries()].sort(([a], [b]) => a - b).map(([, data]) => data) };
  }

  forget(pg: string): void {
    this.groups.delete(pg);
  }

  private open(pg: string, count: number): Collection {
    if (this.groups.size >= this.maxGroups) this.groups.delete(this.groups.keys().next().value as string);
    const group = { count, packets: new Map<number, Uint8Array>() };
    this.groups.set(pg, group);
    return group;
  }

  private drop(pg: string, reason: string): CollectResult {
    this.groups.delete(pg);
    return { status: 'inconsistent', reason };
  }
}
