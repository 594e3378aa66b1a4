// Proves the frame wire: frames round-trip over Nest TCP, and every failure (refusal, bad packet, crash, silence, no listener) reaches the caller as a typed error while the server keeps serving.
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { ProtocolError } from '../../protocol/errors.js';
import { ExternalPartyClient } from './external-party-client.js';
import { ExternalPartyError } from './external-party-error.js';
import { EXTERNAL_FRAME_PATTERN, decodeFramePacket, encodeFramePacket } from './frame-packet.js';
import { isFrameRefusal } from './frame-refusal.js';
import { startExternalPartyServer, type ExternalPartyServer } from './start-external-party-server.js';

const HOST = '127.0.0.1';
const never = () => new Promise<Uint8Array>(() => undefined);

async function handler(frame: Uint8Array): Promise<Uint8Array> {
  const text = new TextDecoder().decode(frame);
  if (text === 'forged') throw new ProtocolError('bad-signature', 'signature of sp:x does not verify');
  if (text === 'crash') throw new Error('database on fire');
  if (text === 'slow') return never();
  return new Uint8Array([...frame].reverse());
}

async function failureOf(promise: Promise<unknown>): Promise<ExternalPartyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExternalPartyError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('decodeFramePacket', () => {
  it.each([
    ['null', null],
    ['a string', 'AAAA'],
    ['no frame', {}],
    ['a number frame', { frame: 42 }],
    ['an empty frame', { frame: '' }],
    ['not base64', { frame: 'ab$d' }],
    ['unpadded base64', { frame: 'AAA' }],
    ['an extra key', { frame: 'AAAA', more: 1 }],
  ])('refuses %s as malformed', (_name, data) => {
    expect(() => decodeFramePacket(data)).toThrow(expect.objectContaining({ reason: 'malformed' }));
  });

  it('round-trips bytes, including a view into a larger buffer', () => {
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    expect(decodeFramePacket(encodeFramePacket(backing.subarray(1, 4)))).toEqual(new Uint8Array([1, 2, 3]));
  });
});

describe('ExternalPartyClient over Nest TCP', () => {
  let server: ExternalPartyServer;
  let sut: ExternalPartyClient;

  beforeAll(async () => {
    server = await startExternalPartyServer(handler, { host: HOST, port: 0, logger: false });
    sut = new ExternalPartyClient({ host: HOST, port: server.port });
    await sut.connect();
  });

  afterAll(async () => {
    await sut.close();
    await server.close();
  });

  it('binds an ephemeral port', () => {
    expect(server.port).toBeGreaterThan(0);
  });

  it('exchanges a frame for the reply frame', async () => {
    await expect(sut.exchange(new Uint8Array([1, 2, 3]), 2000)).resolves.toEqual(new Uint8Array([3, 2, 1]));
  });

  it('turns a refusal into a typed error carrying its reason', async () => {
    const failure = await failureOf(sut.exchange(new TextEncoder().encode('forged'), 2000));
    expect(failure).toMatchObject({ kind: 'refused', refusal: 'bad-signature' });
  });

  it('turns a handler crash into an internal refusal and keeps serving', async () => {
    expect(await failureOf(sut.exchange(new TextEncoder().encode('crash'), 2000))).toMatchObject({ kind: 'refused', refusal: 'internal' });
    await expect(sut.exchange(new Uint8Array([7, 8]), 2000)).resolves.toEqual(new Uint8Array([8, 7]));
  });

  it('times out a party that does not answer', async () => {
    expect(await failureOf(sut.exchange(new TextEncoder().encode('slow'), 100))).toMatchObject({ kind: 'timeout' });
  });

  it('answers a malformed packet from a raw Nest client with a typed error reply', async () => {
    const raw = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: HOST, port: server.port } });
    try {
      for (const data of [{ frame: 42 }, { frame: 'ab$d' }, { nope: true }]) {
        const refusal: unknown = await firstValueFrom(raw.send(EXTERNAL_FRAME_PATTERN, data)).catch((error: unknown) => error);
        expect(isFrameRefusal(refusal)).toBe(true);
        expect(refusal).toMatchObject({ reason: 'malformed' });
      }
    } finally {
      await raw.close();
    }
    await expect(sut.exchange(new Uint8Array([5]), 2000)).resolves.toEqual(new Uint8Array([5]));
  });
});

describe('ExternalPartyClient without a listener', () => {
  it('reports a refused connection as unreachable', async () => {
    const gone = await startExternalPartyServer(handler, { host: HOST, port: 0, logger: false });
    await gone.close();
    const sut = new ExternalPartyClient({ host: HOST, port: gone.port });
    try {
      expect(await failureOf(sut.exchange(new Uint8Array([1]), 2000))).toMatchObject({ kind: 'unreachable' });
      expect(await failureOf(sut.connect())).toMatchObject({ kind: 'unreachable' });
    } finally {
      await sut.close();
    }
  });
});
