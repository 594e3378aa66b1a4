import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import { isDeviceId, parseId, type DeviceId, type SpId } from '../../protocol/ids.js';
import { verifyConnectToken, type ConnectTokenRefusal } from './connect-token.js';
import type { TokenReplayGuard } from './token-replay-guard.js';

/** What the embedded broker needs to know about a device to let it connect. */
export interface DeviceAdmission {
  readonly signingPublicKey: Uint8Array;
  readonly enabled: boolean;
}

export type DeviceLookup = (id: DeviceId) => Promise<DeviceAdmission | undefined>;

/** `reader:<name>`: a client that may only watch some devices' outputs (a turnstile controller on a gate's `out/open`). */
export type ReaderId = `reader:${string}`;

export const isReaderId = (value: string): value is ReaderId => /^reader:[a-z0-9][a-z0-9._-]{0,63}$/.test(value);

/** An output reader's password and the devices whose outputs it may watch. */
export interface OutputReaderCredentials {
  readonly password: string;
  readonly devices: readonly string[];
}

export interface ServiceCredentials {
  /** The service providing system's principal, `sp:<name>`. */
  readonly username: string;
  readonly password: string;
}

export type ConnectRefusalReason =
  | 'missing-credentials'
  | 'unknown-principal'
  | 'bad-service-credentials'
  | 'client-id-mismatch'
  | 'unknown-device'
  | ConnectTokenRefusal
  | 'replay'
  | 'replay-guard-full'
  | 'disabled'
  | 'lookup-failed'
  | 'service-not-ready';

/** MQTT 3.1.1 CONNACK return codes used for refusals. */
export const CONNACK = { identifierRejected: 2, serverUnavailable: 3, badCredentials: 4, notAuthorized: 5 } as const;
export type ConnackRefusalCode = (typeof CONNACK)[keyof typeof CONNACK];

export type ConnectDecision =
  | { readonly ok: true; readonly principal: DeviceId | SpId | ReaderId }
  | { readonly ok: false; readonly reason: ConnectRefusalReason; readonly returnCode: ConnackRefusalCode };

export interface ConnectAttempt {
  readonly clientId: string;
  readonly username: string | undefined;
  readonly password: Uint8Array | undefined;
}

export interface ConnectAuthenticatorOptions {
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly maxSkewMs: number;
  readonly lookupDevice: DeviceLookup;
  readonly service: ServiceCredentials;
  readonly replayGuard: TokenReplayGuard;
  /** Output readers by username (`reader:<name>`). */
  readonly outputReaders?: Readonly<Record<string, OutputReaderCredentials>>;
}

function refuse(reason: ConnectRefusalReason, returnCode: ConnackRefusalCode): ConnectDecision {
  return { ok: false, reason, returnCode };
}

function digest(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** Decides a CONNECT: the service by its configured password, a device by a connect token checked against its key. */
export class ConnectAuthenticator {
  private readonly serviceId: SpId;
  private readonly servicePasswordDigest: Buffer;

  constructor(private readonly options: ConnectAuthenticatorOptions) {
    const { username, password } = options.service;
    if (parseId(username)?.kind !== 'sp') throw new TypeError(`mqtt service username must be an 'sp:<name>' ID, got '${username}'`);
    if (password.length === 0) throw new TypeError('mqtt service password must not be empty');
    this.serviceId = username as SpId;
    this.servicePasswordDigest = digest(new TextEncoder().encode(password));
  }

  async decide(attempt: ConnectAttempt): Promise<ConnectDecision> {
    const { username, password } = attempt;
    if (username === undefined || password === undefined) return refuse('missing-credentials', CONNACK.badCredentials);
    if (username === this.serviceId) return this.decideService(attempt.clientId, password);
    if (isReaderId(username)) return this.decideReader(username, attempt.clientId, password);
    if (!isDeviceId(username)) return refuse('unknown-principal', CONNACK.badCredentials);
    if (attempt.clientId !== username) return refuse('client-id-mismatch', CONNACK.identifierRejected);
    return this.decideDevice(username, password);
  }

  /** An output reader by its configured password; like the service, it can never take a device's client ID. */
  private decideReader(username: ReaderId, clientId: string, password: Uint8Array): ConnectDecision {
    const reader = this.options.outputReaders?.[username];
    if (reader === undefined) return refuse('unknown-principal', CONNACK.badCredentials);
    if (!timingSafeEqual(digest(password), digest(new TextEncoder().encode(reader.password)))) return refuse('bad-service-credentials', CONNACK.badCredentials);
    if (isDeviceId(clientId)) return refuse('client-id-mismatch', CONNACK.identifierRejected);
    return { ok: true, principal: username };
  }

  /** The service's client ID is free but never a device's, so it cannot take over a device's session. */
  private decideService(clientId: string, password: Uint8Array): ConnectDecision {
    // Comparing digests keeps the comparison constant-time whatever the lengths.
    if (!timingSafeEqual(digest(password), this.servicePasswordDigest)) return refuse('bad-service-credentials', CONNACK.badCredentials);
    if (isDeviceId(clientId)) return refuse('client-id-mismatch', CONNACK.identifierRejected);
    return { ok: true, principal: this.serviceId };
  }

  /** Token before status: an unauthenticated peer learns nothing about whether a device is enabled. */
  private async decideDevice(deviceId: DeviceId, token: Uint8Array): Promise<ConnectDecision> {
    const { crypto, clock, maxSkewMs, replayGuard } = this.options;
    let device: DeviceAdmission | undefined;
    try {
      device = await this.options.lookupDevice(deviceId);
    } catch {
      return refuse('lookup-failed', CONNACK.serverUnavailable);
    }
    if (device === undefined) return refuse('unknown-device', CONNACK.badCredentials);
    const check = verifyConnectToken(crypto, token, deviceId, device.signingPublicKey, clock.now(), maxSkewMs);
    if (!check.ok) return refuse(check.reason, CONNACK.badCredentials);
    const admitted = replayGuard.admit(check.nonce, check.issuedAtMs);
    if (admitted === 'replay') return refuse('replay', CONNACK.badCredentials);
    if (admitted === 'full') return refuse('replay-guard-full', CONNACK.serverUnavailable);
    if (!device.enabled) return refuse('disabled', CONNACK.notAuthorized);
    return { ok: true, principal: deviceId };
  }
}
