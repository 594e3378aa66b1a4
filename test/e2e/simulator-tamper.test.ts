// Proves the device simulator as its own process: it runs a data update, is made to tamper with its own memory from
// its command line, and its next data update halts it (mandatory expiration), as the README shows.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeviceEntity } from '../../src/persistence/entities/index.js';
import { TestWorld } from '../helpers/world.js';

const run = promisify(execFile);

async function simulator(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/src/devices/simulator/cli.js', ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('device simulator process', () => {
  let world: TestWorld;
  let credentials: string;
  let state: string;
  let deviceId: string;

  beforeAll(async () => {
    world = await TestWorld.create();
    const merchant = await world.enrol.merchant('shop');
    const gate = await world.enrol.merchantDevice(merchant as 'mer:shop', 'gate', 'sim-gate');
    deviceId = gate.deviceId;
    credentials = world.enrol.writeCredentials(gate);
    state = join(world.dir, 'sim-gate.state.json');
    await world.platform.mirror.putServiceData(deviceId, 'fare', { value: 220, accessedAt: 1 });
  });
  afterAll(async () => world.close());

  it('updates, then halts after tampering from its command line', async () => {
    const common = ['--credentials', credentials, '--mqtt-url', world.platform.mqttUrl, '--state-file', state, '--timeout', '15000'];
    const updated = await simulator([...common, 'data-update']);
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({ outcome: 'updated' });

    const halted = await simulator([...common, '--tamper-set', 'serviceData.fare=1', 'data-update']);
    expect(halted.code).toBe(3);
    expect((await world.platform.dataSource.getRepository(DeviceEntity).findOneByOrFail({ id: deviceId })).status).toBe('use-disabled');

    const status = await simulator(['--credentials', credentials, '--state-file', state, 'status']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ status: { useDisabled: true } });
    const refused = await simulator([...common, 'remote-access', `${world.platform.spId}/x`]);
    expect(refused.code).toBe(3);
  }, 120_000);
});
