// Proves that the replay window outlives the platform: a request answered before a restart is refused after it, while
// a new request from the same terminal is answered; and that writes deferred to a later batch are not lost at close. Runs on SQLite (digests answered from memory, stored with the next
// batch) and, in CI's second phase, on PostgreSQL (digests stored before the answer).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../../src/common/clock.js';
import { REMOTE_ACCESS_MESSAGES, remoteAccessRequest } from '../../src/core/remote-access.messages.js';
import type { DeviceCredentials } from '../../src/devices/credentials.js';
import { Enrolment } from '../../src/platform/enrolment.js';
import { InspectionEventEntity } from '../../src/persistence/entities/index.js';
import { Platform } from '../../src/platform/platform.js';
import { MessageCodec } from '../../src/protocol/codec.js';
import { NodeCryptoBackend } from '../../src/protocol/crypto/node-backend.js';
import { Envelope } from '../../src/protocol/envelope.js';
import type { PrincipalId } from '../../src/protocol/ids.js';
import { MessageRegistry } from '../../src/protocol/message-registry.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { quietLogger, TestWorld } from '../helpers/world.js';

describe('replay window across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-replay-restart-'));
  const name = `r${randomBytes(4).toString('hex')}`;
  const codec = new MessageCodec(new Envelope(new NodeCryptoBackend()), new MessageRegistry().register(...REMOTE_ACCESS_MESSAGES), systemClock, { maxSkewMs: 300_000, numberRetentionMs: 86_400_000 });
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: Platform;
  let alice: DeviceCredentials;

  const start = async () => {
    platform = await Platform.start(TestWorld.config(dir, name, database.url, {}), { logger: quietLogger, plugins: [], clock: systemClock });
    await platform.resume();
  };
  const request = () =>
    codec.compose(
      remoteAccessRequest,
      { from: alice.principal.id as PrincipalId, to: platform.spId, fields: { dataAddress: `${platform.spId}/doc.txt`, userId: alice.principal.id as `usr:${string}` } },
      [{ kid: alice.principal.id, secretKey: alice.principal.keys.signing.secretKey }],
      platform.identity.sp.keys.sealing.publicKey,
    ).bytes;

  beforeAll(async () => {
    database = await createTestDatabase();
    await start();
    alice = await new Enrolment(platform).user('alice');
  });
  afterAll(async () => {
    await platform.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses after the restart a request it answered before, and answers a new one', async () => {
    const first = request();
    expect(await platform.gateway.handleUplink(alice.deviceId, first)).toMatchObject({ accepted: true });
    await platform.close();
    await start();
    // The trace of the answered request, deferred to ride with a later batch, was written before the database closed.
    expect(await platform.dataSource.getRepository(InspectionEventEntity).countBy({ kind: 'message-in', type: 'remoteAccessRequest' })).toBe(1);
    expect(await platform.gateway.handleUplink(alice.deviceId, first)).toMatchObject({ accepted: false, error: { reason: 'replay' } });
    expect(await platform.gateway.handleUplink(alice.deviceId, request())).toMatchObject({ accepted: true });
  });
});
