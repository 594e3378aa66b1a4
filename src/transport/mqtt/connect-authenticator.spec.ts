// Proves the CONNECT decision: service by password, a device by its own fresh token, and a named refusal otherwise.
import { ManualClock } from '../../common/clock.js';
import { NodeCryptoBackend } from '../../protocol/crypto/node-backend.js';
import { ids, type DeviceId } from '../../protocol/ids.js';
import { ConnectAuthenticator, type ConnectAttempt, type DeviceAdmission } from './connect-authenticator.js';
import { makeConnectToken } from './connect-token.js';
import { TokenReplayGuard } from './token-replay-guard.js';

const crypto = new NodeCryptoBackend();
const SKEW_MS = 30_000;
const gate = ids.device('gate', 'g1');
const phone = ids.device('mobile', 'm1');
const closed = ids.device('vending', 'v1');
const gateKey = crypto.randomBytes(32);
const phoneKey = crypto.randomBytes(32);
const closedKey = crypto.randomBytes(32);
const utf8 = new TextEncoder();

function world(lookupFails = false) {
  const clock = new ManualClock();
  const devices = new Map<DeviceId, DeviceAdmission>([
    [gate, { signingPublicKey: crypto.ed25519PublicKey(gateKey), enabled: true }],
    [phone, { signingPublicKey: crypto.ed25519PublicKey(phoneKey), enabled: true }],
    [closed, { signingPublicKey: crypto.ed25519PublicKey(closedKey), enabled: false }],
  ]);
  const sut = new ConnectAuthenticator({
    crypto,
    clock,
    maxSkewMs: SKEW_MS,
    lookupDevice: async (id) => {
      if (lookupFails) throw new Error('database down');
      return devices.get(id);
    },
    service: { username: 'sp:main', password: 's3cret' },
    replayGuard: new TokenReplayGuard(clock, SKEW_MS),
  });
  const token = (id: DeviceId, key: Uint8Array, at = clock.now()) => makeConnectToken(crypto, id, key, at);
  return { clock, sut, token };
}

function attempt(clientId: string, username: string | undefined, password: Uint8Array | undefined): ConnectAttempt {
  return { clientId, username, password };
}

describe('ConnectAuthenticator', () => {
  it('admits the service with its password under any non-device client ID', async () => {
    const { sut } = world();
    expect(await sut.decide(attempt('tessera-sp', 'sp:main', utf8.encode('s3cret')))).toEqual({ ok: true, principal: 'sp:main' });
  });

  it('admits a device with a fresh token of its own', async () => {
    const { sut, token } = world();
    expect(await sut.decide(attempt(gate, gate, token(gate, gateKey)))).toEqual({ ok: true, principal: gate });
  });

  it.each([
    ['no username', () => attempt('x', undefined, utf8.encode('p')), 'missing-credentials', 4],
    ['no password', () => attempt(gate, gate, undefined), 'missing-credentials', 4],
    ['a wrong service password', () => attempt('tessera-sp', 'sp:main', utf8.encode('guess')), 'bad-service-credentials', 4],
    ['the service password under a device client ID', () => attempt(gate, 'sp:main', utf8.encode('s3cret')), 'client-id-mismatch', 2],
    ['another service name', () => attempt('x', 'sp:other', utf8.encode('s3cret')), 'unknown-principal', 4],
    ['a user principal', () => attempt('usr:alice', 'usr:alice', utf8.encode('p')), 'unknown-principal', 4],
    ['an unregistered device', () => attempt('dev:gate:nobody', 'dev:gate:nobody', utf8.encode('p')), 'unknown-device', 4],
  ] as const)('refuses %s', async (_label, make, reason, returnCode) => {
    const { sut } = world();
    expect(await sut.decide(make())).toEqual({ ok: false, reason, returnCode });
  });

  it('refuses a client ID that differs from the username', async () => {
    const { sut, token } = world();
    expect(await sut.decide(attempt(phone, gate, token(gate, gateKey)))).toEqual({ ok: false, reason: 'client-id-mismatch', returnCode: 2 });
  });

  it("refuses a device using another device's ID with its own key", async () => {
    const { sut, token } = world();
    expect(await sut.decide(attempt(phone, phone, token(phone, gateKey)))).toEqual({ ok: false, reason: 'bad-signature', returnCode: 4 });
  });

  it("refuses a device presenting another device's token under its own ID", async () => {
    const { sut, token } = world();
    expect(await sut.decide(attempt(gate, gate, token(phone, phoneKey)))).toEqual({ ok: false, reason: 'wrong-device', returnCode: 4 });
  });

  it('refuses a stale token', async () => {
    const { sut, token, clock } = world();
    expect(await sut.decide(attempt(gate, gate, token(gate, gateKey, clock.now() - SKEW_MS - 1)))).toEqual({ ok: false, reason: 'stale', returnCode: 4 });
  });

  it('refuses a replayed token', async () => {
    const { sut, token } = world();
    const once = token(gate, gateKey);
    await sut.decide(attempt(gate, gate, once));
    expect(await sut.decide(attempt(gate, gate, once))).toEqual({ ok: false, reason: 'replay', returnCode: 4 });
  });

  it('refuses a disabled device only after its token verified', async () => {
    const { sut, token } = world();
    expect(await sut.decide(attempt(closed, closed, token(closed, gateKey)))).toEqual({ ok: false, reason: 'bad-signature', returnCode: 4 });
    expect(await sut.decide(attempt(closed, closed, token(closed, closedKey)))).toEqual({ ok: false, reason: 'disabled', returnCode: 5 });
  });

  it('answers server unavailable when the device lookup fails', async () => {
    const { sut, token } = world(true);
    expect(await sut.decide(attempt(gate, gate, token(gate, gateKey)))).toEqual({ ok: false, reason: 'lookup-failed', returnCode: 3 });
  });

  it('will not start with a service username that is not an sp: ID', () => {
    const clock = new ManualClock();
    const make = () =>
      new ConnectAuthenticator({
        crypto,
        clock,
        maxSkewMs: SKEW_MS,
        lookupDevice: async () => undefined,
        service: { username: 'admin', password: 'x' },
        replayGuard: new TokenReplayGuard(clock, SKEW_MS),
      });
    expect(make).toThrow(TypeError);
  });
});
