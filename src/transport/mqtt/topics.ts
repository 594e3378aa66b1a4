import { DEVICE_KINDS, isDeviceId, isValidName, parseId, type DeviceId, type SpId } from '../../protocol/ids.js';

/**
 * The MQTT topic tree (DESIGN "Transports"): one branch per device, made and parsed here only.
 *
 *   tessera/v1/dev/<kind>/<name>/up            device -> service providing system, QoS 1, sealed frame bytes
 *   tessera/v1/dev/<kind>/<name>/down          service providing system -> device, QoS 1
 *   tessera/v1/dev/<kind>/<name>/status        retained 'online' / 'offline' (the device's will)
 *   tessera/v1/dev/<kind>/<name>/out/<output>  device outputs (a gate's opening signal for its turnstile)
 *
 * `<kind>/<name>` is the DeviceId `dev:<kind>:<name>`; names are lower case, so no topic differs from another only
 * by case, and names never contain '/', '+' or '#'.
 *
 * Beside it, the proximity relay (the spec's infrared, relayed for devices in separate processes):
 *
 *   tessera/v1/prox/<kind>/<name>              frames for that device from any nearby device, QoS 1; only the
 *                                              device itself subscribes; the service providing system takes no part
 */
export const TOPIC_ROOT = 'tessera/v1/dev';
const ROOT_LEVELS = TOPIC_ROOT.split('/');
export const PROXIMITY_ROOT = 'tessera/v1/prox';
const PROXIMITY_LEVELS = PROXIMITY_ROOT.split('/');

/** The service providing system's subscriptions. */
export const SERVICE_UPLINK_FILTER = `${TOPIC_ROOT}/+/+/up`;
export const SERVICE_STATUS_FILTER = `${TOPIC_ROOT}/+/+/status`;
export const SERVICE_OUTPUT_FILTER = `${TOPIC_ROOT}/+/+/out/+`;

export const DEVICE_STATUSES = ['online', 'offline'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export type DeviceChannel = 'up' | 'down' | 'status';
export type ParsedDeviceTopic =
  | { readonly deviceId: DeviceId; readonly channel: DeviceChannel }
  | { readonly deviceId: DeviceId; readonly channel: 'out'; readonly output: string };

function deviceBranch(deviceId: DeviceId): string {
  if (!isDeviceId(deviceId)) throw new TypeError(`not a device ID: '${String(deviceId)}'`);
  const [, kind, name] = deviceId.split(':');
  return `${TOPIC_ROOT}/${kind}/${name}`;
}

export function upTopic(deviceId: DeviceId): string {
  return `${deviceBranch(deviceId)}/up`;
}

export function downTopic(deviceId: DeviceId): string {
  return `${deviceBranch(deviceId)}/down`;
}

export function statusTopic(deviceId: DeviceId): string {
  return `${deviceBranch(deviceId)}/status`;
}

/** `output` is one topic level: a valid identifier name such as `open` or `relay-1`. */
export function outputTopic(deviceId: DeviceId, output: string): string {
  if (!isValidName(output)) throw new TypeError(`invalid output name '${output}'`);
  return `${deviceBranch(deviceId)}/out/${output}`;
}

/** The device's proximity inbox: any authenticated device publishes to it, only the device subscribes. */
export function proximityTopic(deviceId: DeviceId): string {
  if (!isDeviceId(deviceId)) throw new TypeError(`not a device ID: '${String(deviceId)}'`);
  const [, kind, name] = deviceId.split(':');
  return `${PROXIMITY_ROOT}/${kind}/${name}`;
}

/** The device a concrete proximity topic belongs to; undefined for anything else. */
export function parseProximityTopic(topic: string): DeviceId | undefined {
  const levels = topic.split('/');
  if (levels.length !== PROXIMITY_LEVELS.length + 2 || !PROXIMITY_LEVELS.every((level, index) => levels[index] === level)) return undefined;
  const candidate = `dev:${levels[PROXIMITY_LEVELS.length] ?? ''}:${levels[PROXIMITY_LEVELS.length + 1] ?? ''}`;
  return isDeviceId(candidate) ? candidate : undefined;
}

function hasRoot(levels: readonly string[]): boolean {
  return ROOT_LEVELS.every((level, index) => levels[index] === level);
}

/** Parses a concrete topic (no wildcards); undefined for anything outside the tree or malformed. */
export function parseDeviceTopic(topic: string): ParsedDeviceTopic | undefined {
  const levels = topic.split('/');
  if (!hasRoot(levels)) return undefined;
  const [kind, name, channel, output] = levels.slice(ROOT_LEVELS.length);
  const candidate = `dev:${kind}:${name}`;
  if (kind === undefined || name === undefined || !isDeviceId(candidate)) return undefined;
  const tail = levels.length - ROOT_LEVELS.length;
  if (tail === 3 && (channel === 'up' || channel === 'down' || channel === 'status')) return { deviceId: candidate, channel };
  if (tail === 4 && channel === 'out' && output !== undefined && isValidName(output)) return { deviceId: candidate, channel, output };
  return undefined;
}

export function parseDeviceStatus(payload: Uint8Array): DeviceStatus | undefined {
  const text = new TextDecoder().decode(payload);
  return (DEVICE_STATUSES as readonly string[]).includes(text) ? (text as DeviceStatus) : undefined;
}

type Principal = { readonly kind: 'device'; readonly id: DeviceId } | { readonly kind: 'service'; readonly id: SpId };

/** A principal is the authenticated MQTT username: a DeviceId or the service providing system's `sp:<name>`. */
function classify(principal: string): Principal | undefined {
  if (isDeviceId(principal)) return { kind: 'device', id: principal };
  if (parseId(principal)?.kind === 'sp') return { kind: 'service', id: principal as SpId };
  return undefined;
}

/**
 * A device publishes only on its own up, status and out/* topics, and on any device's proximity topic (a frame for a
 * terminal held next to it); the service only on devices' down topics.
 */
export function mayPublish(principal: string, topic: string): boolean {
  const who = classify(principal);
  if (who?.kind === 'device' && parseProximityTopic(topic) !== undefined) return true;
  const parsed = parseDeviceTopic(topic);
  if (who === undefined || parsed === undefined) return false;
  if (who.kind === 'service') return parsed.channel === 'down';
  return parsed.deviceId === who.id && parsed.channel !== 'down';
}

/**
 * A device subscribes to exactly its own down topic and its own proximity topic, no wildcard. The service subscribes
 * to up, status and out filters whose every match is such a topic (`+` for kind, name or output, never `#`, never
 * reaching a down topic).
 */
export function maySubscribe(principal: string, filter: string, readableDevices: readonly string[] = []): boolean {
  if (principal.startsWith('reader:')) return mayReadOutput(filter, readableDevices);
  const who = classify(principal);
  if (who === undefined) return false;
  if (who.kind === 'device') return filter === downTopic(who.id) || filter === proximityTopic(who.id);
  return isServiceFilter(filter);
}

/**
 * An output reader subscribes to the outputs of the devices it was granted: `<device branch>/out/<output>` or
 * `<device branch>/out/+`, nothing else; the same test, on concrete topics, decides what the broker forwards to it.
 */
export function mayReadOutput(filterOrTopic: string, readableDevices: readonly string[]): boolean {
  const levels = filterOrTopic.split('/');
  const output = levels.at(-1);
  // `out/+` is checked as the branch of one concrete output: the wildcard may stand only for the output's name.
  const concrete = output === '+' ? [...levels.slice(0, -1), 'wildcard'].join('/') : filterOrTopic;
  const parsed = parseDeviceTopic(concrete);
  return parsed?.channel === 'out' && readableDevices.includes(parsed.deviceId);
}

function isServiceFilter(filter: string): boolean {
  const levels = filter.split('/');
  if (!hasRoot(levels)) return false;
  const [kind, name, channel, output] = levels.slice(ROOT_LEVELS.length);
  const kindOk = kind === '+' || (DEVICE_KINDS as readonly string[]).includes(kind ?? '');
  const nameOk = name === '+' || (name !== undefined && isValidName(name));
  if (!kindOk || !nameOk) return false;
  const tail = levels.length - ROOT_LEVELS.length;
  if (tail === 3) return channel === 'up' || channel === 'status';
  return tail === 4 && channel === 'out' && (output === '+' || (output !== undefined && isValidName(output)));
}
