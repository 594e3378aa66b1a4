import type { DeviceKind } from '../../protocol/ids.js';
import type { DeviceStatus } from '../entities/device.entity.js';
import { execute, select, Sql, type SqlTarget } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';

const SELECT_OWNER = new Sql('SELECT "id", "kind", "ownerId", "status" FROM "device_registry" WHERE "id" = ?');
const UPDATE_LAST_SEEN = new Sql('UPDATE "device_registry" SET "lastSeenAt" = ? WHERE "id" = ?');
const UPDATE_STATUS = new Sql('UPDATE "device_registry" SET "status" = ? WHERE "id" = ?');

export interface DeviceOwnership {
  readonly id: string;
  readonly kind: DeviceKind;
  readonly ownerId: string;
  readonly status: DeviceStatus;
}

export async function readDeviceOwnership(target: SqlTarget, id: string): Promise<DeviceOwnership | null> {
  const [row] = await select<DeviceOwnership>(target, SELECT_OWNER, [id]);
  return row ?? null;
}

export interface LastSeenValues {
  readonly deviceId: string;
  readonly at: number;
}

export function lastSeenStatements(seen: readonly LastSeenValues[]): BoundStatement[] {
  return seen.map(({ deviceId, at }) => ({ statement: UPDATE_LAST_SEEN, params: [at, deviceId] }));
}

export async function updateDeviceStatus(target: SqlTarget, id: string, status: DeviceStatus): Promise<void> {
  await execute(target, UPDATE_STATUS, [status, id]);
}
