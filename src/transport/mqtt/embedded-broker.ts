import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes, type AuthenticateError, type AuthErrorCode, type Client, type PublishPacket, type Subscription } from 'aedes';
import type { Clock } from '../../common/clock.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import { isDeviceId, type DeviceId, type SpId } from '../../protocol/ids.js';
import { CONNACK, ConnectAuthenticator, type ConnectDecision, type ConnectRefusalReason, type DeviceLookup, type OutputReaderCredentials, type ReaderId, type ServiceCredentials } from './connect-authenticator.js';
import { InProcessServiceLink, type InProcessServiceLinkOptions } from './in-process-service-link.js';
import { describeListenError, hostPort } from './listen-error.js';
import { TokenReplayGuard } from './token-replay-guard.js';
import { SERVICE_UPLINK_FILTER, downTopic, mayPublish, mayReadOutput, maySubscribe, parseDeviceTopic, proximityTopic } from './topics.js';
import { errorText, silentLogger, type TransportLogger } from './transport-logger.js';

/** One refused CONNECT, PUBLISH or SUBSCRIBE, for the audit trail. */
export type BrokerRefusal =
  | { readonly action: 'connect'; readonly clientId: string; readonly username?: string; readonly reason: ConnectRefusalReason }
  | {
      readonly action: 'publish' | 'subscribe';
      readonly clientId: string;
      readonly username?: string;
      readonly reason: 'topic-not-allowed' | 'retain-not-allowed';
      readonly topic: string;
    };

export interface EmbeddedBrokerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly maxSkewMs: number;
  readonly clock: Clock;
  readonly crypto: CryptoBackend;
  readonly lookupDevice: DeviceLookup;
  readonly service: ServiceCredentials;
  /** Clients that may only watch the outputs of some devices (`reader:<name>` -> password and device IDs). */
  readonly outputReaders?: Readonly<Record<string, OutputReaderCredentials>>;
  readonly onRefusal?: (event: BrokerRefusal) => void;
  readonly logger?: TransportLogger;
  /**
   * Devices are refused (CONNACK 3, server unavailable; they retry) until the service has subscribed to every uplink.
   * Without this, a device that reconnects first after a restart would publish into a broker nobody listens to and
   * its QoS 1 uplinks would be acknowledged and lost. Default true.
   */
  readonly requireServiceSubscription?: boolean;
}

export interface EmbeddedBroker {
  readonly host: string;
  readonly port: number;
  /** `mqtt://host:port`, for BrokerLink and DeviceLink. */
  readonly url: string;
  /** The service's link without a socket; devices are admitted once it has attached. */
  serviceLink(options?: Omit<InProcessServiceLinkOptions, 'onAttached'>): InProcessServiceLink;
  close(): Promise<void>;
}

type Principal = DeviceId | SpId | ReaderId;

/** The in-process aedes broker: CONNECT authentication and per-device ACLs from topics.ts. */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const logger = options.logger ?? silentLogger;
  const authenticator = new ConnectAuthenticator({ ...options, replayGuard: new TokenReplayGuard(options.clock, options.maxSkewMs) });
  const gate = new AccessGate(authenticator, options, logger);
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => void gate.authenticate(client, username, password, done),
    authorizePublish: (client, packet, done) => done(gate.authorizePublish(client, packet)),
    authorizeSubscribe: (client, subscription, done) => done(null, gate.authorizeSubscribe(client, subscription)),
    authorizeForward: (client, packet) => (gate.mayForward(client, packet.topic) ? packet : null),
  });
  broker.on('subscribe', (subscriptions, client) => gate.noteSubscriptions(client, subscriptions));
  broker.on('clientError', (client, error) => logger.debug('mqtt client error', { clientId: client.id, error: errorText(error) }));
  broker.on('connectionError', (client, error) => logger.debug('mqtt connection error', { clientId: client.id, error: errorText(error) }));

  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  const closeAll = async (): Promise<void> => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  try {
    await listen(server, options.host, options.port);
  } catch (error) {
    await closeAll();
    throw describeListenError(options.host, options.port, error);
  }
  const port = (server.address() as AddressInfo).port;
  logger.debug('embedded mqtt broker listening', { host: options.host, port });
  let closing: Promise<void> | undefined;
  return {
    host: options.host,
    port,
    url: `mqtt://${hostPort(options.host, port)}`,
    serviceLink: (linkOptions = {}) => new InProcessServiceLink(broker, { ...linkOptions, onAttached: () => gate.admitDevices() }),
    close: () => (closing ??= closeAll()),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The broker's decisions: who a client is, and what that principal may publish, subscribe and receive. */
class AccessGate {
  private readonly principals = new WeakMap<Client, Principal>();
  private serviceSubscribed: boolean;

  constructor(
    private readonly authenticator: ConnectAuthenticator,
    private readonly options: EmbeddedBrokerOptions,
    private readonly logger: TransportLogger,
  ) {
    this.serviceSubscribed = options.requireServiceSubscription === false;
  }

  async authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): Promise<void> {
    const clientId = client.id;
    let decision: ConnectDecision;
    try {
      decision =
        username !== undefined && isDeviceId(username) && !this.serviceSubscribed
          ? { ok: false, reason: 'service-not-ready', returnCode: CONNACK.serverUnavailable }
          : await this.authenticator.decide({ clientId, username, password: password === undefined ? undefined : new Uint8Array(password) });
    } catch (error) {
      this.logger.error('mqtt authentication failed unexpectedly', { clientId, error: errorText(error) });
      decision = { ok: false, reason: 'lookup-failed', returnCode: CONNACK.serverUnavailable };
    }
    if (decision.ok) {
      this.principals.set(client, decision.principal);
      done(null, true);
      return;
    }
    this.refuse({ action: 'connect', clientId, ...(username === undefined ? {} : { username }), reason: decision.reason });
    const error = Object.assign(new Error(`connect refused: ${decision.reason}`), { returnCode: decision.returnCode as AuthErrorCode });
    done(error, false);
  }

  /** A refused PUBLISH closes the client's connection (aedes; MQTT 3.1.1 has no negative PUBACK). */
  authorizePublish(client: Client | null, packet: PublishPacket): Error | null {
    const principal = client === null ? this.willOwner(packet) : this.principals.get(client);
    const clientId = client?.id ?? principal ?? 'unknown';
    const topic = packet.topic;
    if (principal === undefined || !mayPublish(principal, topic)) {
      this.refuse({ action: 'publish', clientId, username: principal, reason: 'topic-not-allowed', topic });
      return new Error(`publish to '${topic}' not allowed`);
    }
    // Only a status is retained; a retained uplink or downlink would be delivered again on every subscribe.
    if (packet.retain && parseDeviceTopic(topic)?.channel !== 'status') {
      this.refuse({ action: 'publish', clientId, username: principal, reason: 'retain-not-allowed', topic });
      return new Error(`retained publish to '${topic}' not allowed`);
    }
    return null;
  }

  /** A refused SUBSCRIBE is granted QoS 128 (failure); the connection stays. */
  authorizeSubscribe(client: Client, subscription: Subscription): Subscription | null {
    const principal = this.principals.get(client);
    if (principal !== undefined && maySubscribe(principal, subscription.topic, this.readableDevices(principal))) return subscription;
    this.refuse({ action: 'subscribe', clientId: client.id, username: principal, reason: 'topic-not-allowed', topic: subscription.topic });
    return null;
  }

  /** Defence in depth behind authorizeSubscribe: a device receives nothing but its own down and proximity topics. */
  mayForward(client: Client, topic: string): boolean {
    const principal = this.principals.get(client);
    if (principal === undefined) return false;
    if (principal.startsWith('reader:')) return mayReadOutput(topic, this.readableDevices(principal));
    return isDeviceId(principal) ? topic === downTopic(principal) || topic === proximityTopic(principal) : true;
  }

  admitDevices(): void {
    if (this.serviceSubscribed) return;
    this.serviceSubscribed = true;
    this.logger.debug('service attached in-process; admitting devices');
  }

  noteSubscriptions(client: Client, subscriptions: readonly Subscription[]): void {
    const principal = this.principals.get(client);
    if (this.serviceSubscribed || principal === undefined || isDeviceId(principal)) return;
    // aedes reports a negated subscription with qos 128, outside mqtt-packet's QoS type.
    if (subscriptions.some((s) => s.topic === SERVICE_UPLINK_FILTER && (s.qos as number) !== 128)) {
      this.serviceSubscribed = true;
      this.logger.debug('service subscribed to uplinks; admitting devices', { clientId: client.id });
    }
  }

  private readableDevices(principal: string): readonly string[] {
    return this.options.outputReaders?.[principal]?.devices ?? [];
  }

  /** aedes publishes a will without a client when it outlived its connection; the will names its client ID. */
  private willOwner(packet: PublishPacket): DeviceId | undefined {
    const owner: unknown = 'clientId' in packet ? packet.clientId : undefined;
    return typeof owner === 'string' && isDeviceId(owner) ? owner : undefined;
  }

  private refuse(event: BrokerRefusal): void {
    this.logger.warn(`mqtt ${event.action} refused: ${event.reason}`, { ...event });
    try {
      this.options.onRefusal?.(event);
    } catch (error) {
      this.logger.error('onRefusal handler threw', { error: errorText(error) });
    }
  }
}
