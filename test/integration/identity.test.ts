// Proves identities: SP-signed certificates a device can verify offline, revocation and disabling refusing a signer,
// and the SP root key kept in a 0600 file outside the database rows it signs.
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fromBase64 } from '../../src/common/bytes.js';
import { verifyCertificate } from '../../src/identity/certificate.js';
import { PartyEntity } from '../../src/persistence/entities/index.js';
import { TestWorld } from '../helpers/world.js';

describe('identities', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await TestWorld.create();
  });
  afterAll(async () => world.close());

  it('keeps the SP root key in a file readable by its owner only, and no secret in the database', async () => {
    const path = join(world.dir, 'keys', 'sp-root.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { signing: { secretKey: string } };
    const rows = JSON.stringify(await world.platform.dataSource.getRepository(PartyEntity).find());
    expect(rows).not.toContain(file.signing.secretKey);
  });

  it('issues certificates that verify against the SP key, and not against another or after their term', async () => {
    const credentials = await world.enrol.user('dora');
    const certificate = await world.platform.identity.certificateOf('usr:dora');
    expect(certificate).not.toBeNull();
    const frame = fromBase64(certificate?.frame ?? '');
    const spKey = world.platform.identity.sp.keys.signing.publicKey;
    const body = verifyCertificate(world.platform.envelope, frame, spKey, Date.now());
    expect(body?.subject).toBe('usr:dora');
    expect(Buffer.from(body?.signingPublicKey ?? new Uint8Array()).equals(Buffer.from(credentials.principal.keys.signing.publicKey))).toBe(true);
    expect(verifyCertificate(world.platform.envelope, frame, credentials.principal.keys.signing.publicKey, Date.now())).toBeUndefined();
    expect(verifyCertificate(world.platform.envelope, frame, spKey, (body?.validUntil ?? 0) + 1)).toBeUndefined();
    const tampered = new Uint8Array(frame);
    tampered[tampered.length - 70] = (tampered[tampered.length - 70] ?? 0) ^ 1;
    expect(verifyCertificate(world.platform.envelope, tampered, spKey, Date.now())).toBeUndefined();
  });

  it('refuses a revoked or disabled signer with the matching reason', async () => {
    await world.enrol.user('erin');
    await world.enrol.user('finn');
    expect(await world.platform.identity.signingKey('usr:erin', Date.now())).toMatchObject({ usable: true });
    await world.platform.identity.revokeCertificates('usr:erin', 'terminal lost');
    expect(await world.platform.identity.signingKey('usr:erin', Date.now())).toEqual({ usable: false, reason: 'revoked' });
    await world.platform.identity.setPartyStatus('usr:finn', 'disabled');
    expect(await world.platform.identity.signingKey('usr:finn', Date.now())).toEqual({ usable: false, reason: 'disabled' });
    expect(await world.platform.identity.signingKey('usr:nobody', Date.now())).toEqual({ usable: false, reason: 'unknown-principal' });
  });

  it('refuses a device whose certificate is revoked, or that is disabled, once it has been looked up and cached', async () => {
    const merchant = await world.enrol.merchant('shop');
    const gate = await world.enrol.merchantDevice(merchant, 'gate', 'g-revoked');
    const till = await world.enrol.merchantDevice(merchant, 'merchant', 't-disabled');
    const now = Date.now();
    expect(await world.platform.identity.signingKey(gate.deviceId, now)).toMatchObject({ usable: true });
    expect(await world.platform.identity.signingKey(till.deviceId, now)).toMatchObject({ usable: true });
    await world.platform.identity.revokeCertificates(gate.deviceId, 'stolen');
    await world.platform.identity.setDeviceStatus(till.deviceId as `dev:merchant:${string}`, 'disabled');
    expect(await world.platform.identity.signingKey(gate.deviceId, now)).toEqual({ usable: false, reason: 'revoked' });
    expect(await world.platform.identity.signingKey(till.deviceId, now)).toEqual({ usable: false, reason: 'disabled' });
    expect((await world.platform.identity.device(till.deviceId))?.status).toBe('disabled');
  });
});
