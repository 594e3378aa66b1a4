// Proves the proximity relay's topic rules: any device publishes to another device's proximity topic, only the device
// itself subscribes to its own, the service providing system does neither, and malformed topics parse to nothing.
import { ids } from '../../protocol/ids.js';
import { mayPublish, maySubscribe, parseProximityTopic, proximityTopic } from '../../transport/mqtt/topics.js';

const gate = ids.device('gate', 'g1');
const phone = ids.device('mobile', 'alice-phone');

describe('proximity topics', () => {
  it('builds and parses a device proximity topic', () => {
    expect(proximityTopic(gate)).toBe('tessera/v1/prox/gate/g1');
    expect(parseProximityTopic('tessera/v1/prox/mobile/alice-phone')).toBe(phone);
  });

  it.each(['tessera/v1/prox/gate', 'tessera/v1/prox/gate/g1/x', 'tessera/v1/prox/robot/r1', 'tessera/v1/prox/gate/G1', 'tessera/v1/prox/+/+', 'tessera/v1/dev/gate/g1/up'])('parses %s to nothing', (topic) => {
    expect(parseProximityTopic(topic)).toBeUndefined();
  });

  it.each([
    [phone, proximityTopic(gate), true],
    [gate, proximityTopic(phone), true],
    [gate, proximityTopic(gate), true],
    ['sp:main', proximityTopic(gate), false],
    [phone, 'tessera/v1/prox/+/+', false],
    [phone, 'tessera/v1/prox/gate', false],
  ])('%s may publish to %s: %s', (principal, topic, expected) => {
    expect(mayPublish(principal, topic)).toBe(expected);
  });

  it.each([
    [gate, proximityTopic(gate), true],
    [phone, proximityTopic(gate), false],
    [gate, 'tessera/v1/prox/gate/+', false],
    [gate, 'tessera/v1/prox/#', false],
    ['sp:main', proximityTopic(gate), false],
    ['sp:main', 'tessera/v1/prox/+/+', false],
  ])('%s may subscribe to %s: %s', (principal, filter, expected) => {
    expect(maySubscribe(principal, filter)).toBe(expected);
  });
});
