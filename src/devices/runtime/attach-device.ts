import type { Clock } from '../../common/clock.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import type { MessageDefinition } from '../../protocol/message.js';
import type { ProtocolError } from '../../protocol/errors.js';
import type { DeviceId } from '../../protocol/ids.js';
import type { DeviceCredentials } from '../credentials.js';
import { DeviceLink, type DeviceLinkState } from '../link/device-link.js';
import { DeviceRuntime, type DeviceRuntimeOptions } from './device-runtime.js';

/** Data updating settings passed through to the runtime as they are. */
type RuntimeSettings = Pick<DeviceRuntimeOptions, 'backupThreshold' | 'sessionTimeoutMs' | 'tickIntervalMs' | 'packetBytes' | 'onSessionEnded' | 'onUplinkError'>;

export interface AttachOptions extends RuntimeSettings {
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly maxSkewMs: number;
  /** Overrides the broker URL in the credentials. */
  readonly mqttUrl?: string;
  readonly stateFile?: string;
  readonly outboxDir?: string;
  readonly messages?: readonly MessageDefinition[];
  readonly onRefusal?: (error: ProtocolError) => void;
  readonly modules?: DeviceRuntimeOptions['modules'];
  /** A proximity link, or how to make one over the device's own MQTT link (`MqttProximityLink`). */
  readonly proximity?: DeviceRuntimeOptions['proximity'] | ((link: DeviceLink) => NonNullable<DeviceRuntimeOptions['proximity']>);
  /** Resolve only once the link is online (default true). */
  readonly waitOnline?: boolean;
  readonly onlineTimeoutMs?: number;
}

/** Connects a device to the service providing system over MQTT and runs its machine. */
export async function attachDevice(credentials: DeviceCredentials, options: AttachOptions): Promise<{ runtime: DeviceRuntime; link: DeviceLink }> {
  const link = new DeviceLink({
    url: options.mqttUrl ?? credentials.mqttUrl,
    deviceId: credentials.deviceId as DeviceId,
    crypto: options.crypto,
    signingSecretKey: credentials.device.keys.signing.secretKey,
    clock: options.clock,
    reconnectPeriodMs: 250,
    ...(options.outboxDir === undefined ? {} : { outboxDir: options.outboxDir }),
  });
  const settings: Partial<RuntimeSettings> = Object.fromEntries(
    (['backupThreshold', 'sessionTimeoutMs', 'tickIntervalMs', 'packetBytes', 'onSessionEnded', 'onUplinkError'] as const).filter((key) => options[key] !== undefined).map((key) => [key, options[key]]),
  );
  const proximity = typeof options.proximity === 'function' ? options.proximity(link) : options.proximity;
  const runtime = new DeviceRuntime(credentials, link, {
    ...settings,
    clock: options.clock,
    crypto: options.crypto,
    maxSkewMs: options.maxSkewMs,
    ...(options.stateFile === undefined ? {} : { stateFile: options.stateFile }),
    ...(options.messages === undefined ? {} : { messages: options.messages }),
    ...(options.onRefusal === undefined ? {} : { onRefusal: options.onRefusal }),
    ...(options.modules === undefined ? {} : { modules: options.modules }),
    ...(proximity === undefined ? {} : { proximity }),
  });
  runtime.start();
  const online = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${credentials.deviceId} not online within ${options.onlineTimeoutMs ?? 10_000} ms (${link.lastRefusal?.message ?? link.state})`)), options.onlineTimeoutMs ?? 10_000);
    link.onStateChange((state: DeviceLinkState) => {
      if (state === 'online') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await link.start();
  if (options.waitOnline ?? true) {
    try {
      await online;
    } catch (error) {
      await runtime.close();
      throw error;
    }
  } else online.catch(() => undefined);
  return { runtime, link };
}
