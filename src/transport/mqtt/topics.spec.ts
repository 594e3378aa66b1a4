// Proves the topic tree round-trips device IDs and that the ACL predicates confine each principal to its own topics.
import { ids, type DeviceId } from '../../protocol/ids.js';
import {
  SERVICE_OUTPUT_FILTER,
  SERVICE_STATUS_FILTER,
  SERVICE_UPLINK_FILTER,
  downTopic,
  mayPublish,
  mayReadOutput,
  maySubscribe,
  outputTopic,
  parseDeviceStatus,
  parseDeviceTopic,
  statusTopic,
  upTopic,
} from './topics.js';

const gate: DeviceId = ids.device('gate', 'g1');
const phone: DeviceId = ids.device('mobile', 'alice.phone-2');
const service = 'sp:main';

describe('topic builders', () => {
  it.each([
    [upTopic(gate), 'tessera/v1/dev/gate/g1/up'],
    [downTopic(gate), 'tessera/v1/dev/gate/g1/down'],
    [statusTopic(gate), 'tessera/v1/dev/gate/g1/status'],
    [outputTopic(gate, 'open'), 'tessera/v1/dev/gate/g1/out/open'],
    [upTopic(phone), 'tessera/v1/dev/mobile/alice.phone-2/up'],
  ])('%s is %s', (actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each([['Open'], ['a/b'], ['+'], ['#'], ['']])('refuses the output name %j', (output) => {
    expect(() => outputTopic(gate, output)).toThrow(TypeError);
  });

  it('refuses a value that is not a device ID', () => {
    expect(() => upTopic('dev:robot:r1' as DeviceId)).toThrow(TypeError);
  });
});

describe('parseDeviceTopic', () => {
  it.each([
    ['tessera/v1/dev/gate/g1/up', { deviceId: gate, channel: 'up' }],
    ['tessera/v1/dev/gate/g1/down', { deviceId: gate, channel: 'down' }],
    ['tessera/v1/dev/gate/g1/status', { deviceId: gate, channel: 'status' }],
    ['tessera/v1/dev/gate/g1/out/open', { deviceId: gate, channel: 'out', output: 'open' }],
    ['tessera/v1/dev/phone-accounting/pa.1/up', { deviceId: 'dev:phone-accounting:pa.1', channel: 'up' }],
  ])('parses %s', (topic, expected) => {
    expect(parseDeviceTopic(topic)).toEqual(expected);
  });

  it.each([
    ['', 'empty'],
    ['tessera/v1/dev/gate/g1', 'no channel'],
    ['tessera/v1/dev/gate/g1/up/', 'trailing slash'],
    ['/tessera/v1/dev/gate/g1/up', 'leading slash'],
    ['tessera/v1/dev/gate/g1/up/extra', 'extra level'],
    ['tessera/v1/dev/gate/g1/out', 'output without a name'],
    ['tessera/v1/dev/gate/g1/out/open/more', 'output with extra level'],
    ['tessera/v1/dev/gate/g1/out/Open', 'upper-case output'],
    ['tessera/v1/dev/Gate/g1/up', 'upper-case kind'],
    ['tessera/v1/dev/gate/G1/up', 'upper-case name'],
    ['TESSERA/v1/dev/gate/g1/up', 'upper-case root'],
    ['tessera/v2/dev/gate/g1/up', 'other version'],
    ['tessera/v1/dev/robot/r1/up', 'unknown kind'],
    ['tessera/v1/dev/gate/+/up', 'wildcard name'],
    ['tessera/v1/dev/+/g1/up', 'wildcard kind'],
    ['tessera/v1/dev/gate/g1/#', 'multi-level wildcard'],
    ['tessera/v1/dev/gate//up', 'empty name'],
    ['tessera/v1/dev/gate/g1/UP', 'upper-case channel'],
    ['tessera/v1/dev/gate/g1/sideways', 'unknown channel'],
    ['$SYS/broker/clients', '$SYS'],
  ])('rejects %j (%s)', (topic) => {
    expect(parseDeviceTopic(topic)).toBeUndefined();
  });
});

describe('mayPublish', () => {
  it.each([
    [gate, 'tessera/v1/dev/gate/g1/up'],
    [gate, 'tessera/v1/dev/gate/g1/status'],
    [gate, 'tessera/v1/dev/gate/g1/out/open'],
    [phone, 'tessera/v1/dev/mobile/alice.phone-2/up'],
    [service, 'tessera/v1/dev/gate/g1/down'],
    [service, 'tessera/v1/dev/mobile/alice.phone-2/down'],
  ])('allows %s to publish %s', (principal, topic) => {
    expect(mayPublish(principal, topic)).toBe(true);
  });

  it.each([
    [gate, 'tessera/v1/dev/gate/g1/down', 'its own down topic'],
    [gate, 'tessera/v1/dev/mobile/alice.phone-2/up', "another device's up topic"],
    [gate, 'tessera/v1/dev/gate/g2/status', "another device's status"],
    [gate, 'tessera/v1/dev/gate/g2/out/open', "another device's output"],
    [gate, 'tessera/v1/dev/gate/g1/up/', 'trailing slash'],
    [gate, 'tessera/v1/dev/gate/g1/up/x', 'extra level'],
    [gate, 'tessera/v1/dev/gate/G1/up', 'upper case'],
    [gate, 'tessera/v1/dev/gate/+/up', 'wildcard'],
    [gate, 'tessera/v1/dev/gate/g1/#', 'multi-level wildcard'],
    [gate, '$SYS/broker/heartbeat', '$SYS'],
    [gate, 'elsewhere', 'outside the tree'],
    [service, 'tessera/v1/dev/gate/g1/up', 'an uplink, as the service'],
    [service, 'tessera/v1/dev/gate/g1/status', 'a status, as the service'],
    [service, 'tessera/v1/dev/gate/+/down', 'a wildcard down topic'],
    [service, 'tessera/v1/dev/robot/r1/down', 'a malformed device'],
    ['dev:robot:r1', 'tessera/v1/dev/robot/r1/up', 'a malformed principal'],
    ['usr:alice', 'tessera/v1/dev/mobile/alice.phone-2/up', 'a user, not a device'],
    ['', 'tessera/v1/dev/gate/g1/up', 'no principal'],
    ['sp:Main', 'tessera/v1/dev/gate/g1/down', 'an invalid service ID'],
  ])('denies %s publishing %s (%s)', (principal, topic) => {
    expect(mayPublish(principal, topic)).toBe(false);
  });
});

describe('maySubscribe', () => {
  it.each([
    [gate, 'tessera/v1/dev/gate/g1/down'],
    [phone, 'tessera/v1/dev/mobile/alice.phone-2/down'],
    [service, SERVICE_UPLINK_FILTER],
    [service, SERVICE_STATUS_FILTER],
    [service, SERVICE_OUTPUT_FILTER],
    [service, 'tessera/v1/dev/gate/+/up'],
    [service, 'tessera/v1/dev/gate/g1/status'],
    [service, 'tessera/v1/dev/gate/g1/out/open'],
    [service, 'tessera/v1/dev/+/g1/up'],
  ])('allows %s to subscribe %s', (principal, filter) => {
    expect(maySubscribe(principal, filter)).toBe(true);
  });

  it.each([
    [gate, '#', 'everything'],
    [gate, 'tessera/#', 'the whole tree'],
    [gate, 'tessera/v1/dev/gate/g1/#', 'its own branch with #'],
    [gate, 'tessera/v1/dev/gate/+/down', 'down topics of every gate'],
    [gate, 'tessera/v1/dev/+/g1/down', 'a kind wildcard'],
    [gate, 'tessera/v1/dev/gate/g1/+', 'a channel wildcard'],
    [gate, 'tessera/v1/dev/gate/g2/down', "another device's down topic"],
    [gate, 'tessera/v1/dev/gate/g1/up', 'its own up topic'],
    [gate, 'tessera/v1/dev/gate/g1/down/', 'trailing slash'],
    [gate, 'tessera/v1/dev/gate/G1/down', 'upper case'],
    [gate, '+/v1/dev/gate/g1/down', 'a root wildcard'],
    [gate, '$SYS/#', '$SYS'],
    [gate, '$share/x/tessera/v1/dev/gate/g1/down', 'a shared subscription'],
    [service, '#', 'everything'],
    [service, 'tessera/v1/dev/#', 'the whole tree'],
    [service, 'tessera/v1/dev/+/+/+', 'a channel wildcard that reaches down topics'],
    [service, 'tessera/v1/dev/+/+/down', 'down topics'],
    [service, 'tessera/v1/dev/+/+/up/#', 'up with #'],
    [service, 'tessera/v1/dev/+/+/up/', 'trailing slash'],
    [service, 'tessera/v1/dev/+/+/out/#', 'outputs with #'],
    [service, 'tessera/+/dev/+/+/up', 'a version wildcard'],
    [service, 'tessera/v1/dev/robot/+/up', 'an unknown kind'],
    [service, 'tessera/v1/dev/gate/G1/up', 'upper case'],
    [service, '$SYS/#', '$SYS'],
    ['usr:alice', 'tessera/v1/dev/mobile/alice.phone-2/down', 'a user, not a device'],
    ['dev:gate:G1', 'tessera/v1/dev/gate/G1/down', 'a malformed principal'],
  ])('denies %s subscribing %s (%s)', (principal, filter) => {
    expect(maySubscribe(principal, filter)).toBe(false);
  });
});

describe('parseDeviceStatus', () => {
  it.each([
    ['online', 'online'],
    ['offline', 'offline'],
    ['ONLINE', undefined],
    ['', undefined],
    ['online\n', undefined],
  ])('reads %j as %s', (text, expected) => {
    expect(parseDeviceStatus(new TextEncoder().encode(text))).toBe(expected);
  });
});

describe('mayReadOutput', () => {
  const granted = ['dev:gate:g1'];
  it.each([
    ['tessera/v1/dev/gate/g1/out/open', true],
    ['tessera/v1/dev/gate/g1/out/+', true],
    ['tessera/v1/dev/gate/g2/out/open', false],
    ['tessera/v1/dev/gate/g1/up', false],
    ['tessera/v1/dev/gate/g1/down', false],
    ['tessera/v1/dev/gate/+/out/open', false],
    ['tessera/v1/dev/gate/g1/out/#', false],
    ['tessera/v1/dev/gate/g1/#', false],
  ] as const)('%s: %s', (filter, expected) => {
    expect(mayReadOutput(filter, granted)).toBe(expected);
  });
});
