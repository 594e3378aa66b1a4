import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { connect, type MqttClient } from 'mqtt';

/**
 * The transport floor of the remote-access bench: the same two processes and the same libraries (aedes in the
 * platform's process, mqtt.js in the devices' process), QoS 1 both ways, the broker echoing in-process as the service
 * link does; no crypto, no database, no actors. What this costs, the platform cannot go below.
 */

const UP = 'bench/echo/up';
const DOWN = 'bench/echo/down';
/** About the size of a sealed remote-access request. */
export const ECHO_PAYLOAD_BYTES = 400;

export interface EchoBroker {
  readonly url: string;
  close(): Promise<void>;
}

export async function startEchoBroker(): Promise<EchoBroker> {
  const broker = await Aedes.createBroker();
  await new Promise<void>((resolve) =>
    broker.subscribe(
      UP,
      (packet, done) => {
        done();
        broker.publish({ cmd: 'publish', topic: DOWN, payload: packet.payload, qos: 1, retain: false, dup: false }, () => undefined);
      },
      resolve,
    ),
  );
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A client of the echo broker; `roundTrip` publishes one payload and resolves when it comes back. */
export class EchoClient {
  private waiting: (() => void) | undefined;
  private readonly payload = Buffer.alloc(ECHO_PAYLOAD_BYTES, 0x5a);

  private constructor(private readonly client: MqttClient) {
    client.on('message', () => {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve?.();
    });
  }

  static async connect(url: string): Promise<EchoClient> {
    const client = await new Promise<MqttClient>((resolve, reject) => {
      const candidate = connect(url, { clientId: `bench-echo-${process.pid}`, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5_000 });
      candidate.once('connect', () => resolve(candidate));
      candidate.once('error', reject);
    });
    (client.stream as Socket).setNoDelay(true);
    await client.subscribeAsync(DOWN, { qos: 1 });
    return new EchoClient(client);
  }

  roundTrip(): Promise<void> {
    if (this.waiting !== undefined) return Promise.reject(new Error('one echo at a time'));
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.client.publish(UP, this.payload, { qos: 1 }, (error) => {
        if (error) reject(error);
      });
    });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
