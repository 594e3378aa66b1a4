// Proves update data packets are gathered per process group in any order, a duplicate is ignored, a contradicting
// packet drops the collection, and the number of groups held at once is bounded.
import { describe, expect, it } from '@jest/globals';
import { UpdatePacketCollector } from './update-collector.js';

const packet = (pg: string, packetNumber: number, packetCount: number) => ({ pg, packetNumber, packetCount, data: new Uint8Array([packetNumber]) });

describe('UpdatePacketCollector', () => {
  it('completes with the packets in packet-number order, whatever order they came in, ignoring a duplicate', () => {
    const sut = new UpdatePacketCollector();
    expect(sut.add(packet('txn:a:1', 3, 3)).status).toBe('incomplete');
    expect(sut.add(packet('txn:a:1', 1, 3)).status).toBe('incomplete');
    expect(sut.add(packet('txn:a:1', 3, 3)).status).toBe('duplicate');
    const result = sut.add(packet('txn:a:1', 2, 3));
    expect(result.status === 'complete' ? result.packets.map((data) => data[0]) : result).toEqual([1, 2, 3]);
    expect(sut.add(packet('txn:a:1', 1, 3)).status).toBe('incomplete');
  });

  it('keeps process groups apart', () => {
    const sut = new UpdatePacketCollector();
    sut.add(packet('txn:a:1', 1, 2));
    expect(sut.add(packet('txn:a:2', 2, 2)).status).toBe('incomplete');
    expect(sut.add(packet('txn:a:1', 2, 2)).status).toBe('complete');
  });

  it.each([
    ['a packet number above the count', [packet('txn:a:1', 3, 2)]],
    ['a packet number below 1', [packet('txn:a:1', 0, 2)]],
    ['a count that changes', [packet('txn:a:1', 1, 3), packet('txn:a:1', 2, 2)]],
    ['a count above the limit', [packet('txn:a:1', 1, 65)]],
  ])('drops the collection on %s', (_what, packets) => {
    const sut = new UpdatePacketCollector();
    const results = packets.map((each) => sut.add(each));
    expect(results.at(-1)?.status).toBe('inconsistent');
    expect(sut.add(packet('txn:a:1', 1, 2)).status).toBe('incomplete');
  });

  it('holds a bounded number of groups, dropping the oldest', () => {
    const sut = new UpdatePacketCollector(2);
    sut.add(packet('txn:a:1', 1, 2));
    sut.add(packet('txn:a:2', 1, 2));
    sut.add(packet('txn:a:3', 1, 2));
    expect(sut.add(packet('txn:a:1', 2, 2)).status).toBe('incomplete');
    expect(sut.add(packet('txn:a:3', 2, 2)).status).toBe('complete');
  });
});
