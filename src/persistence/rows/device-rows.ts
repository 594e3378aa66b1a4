import type { DeviceKind } from '../../protocol/ids.js';
import type { DeviceStatus } from '../entities/device.entity.js';
import { execute, numberOf, numberOrNull, select, Sql, type SqlTarget } from '../raw-sql.js';
import { DeviceEntity } from '../entities/device.entity.js';
import type { BoundStatement } from '../sqlite-script.js';

const SELECT_DEVICE = new Sql('SELECT "id", "kind", "ownerId", "signingPublicKey", "sealingPublicKey", "status", "createdAt", "lastSeenAt" FROM "device_registry" WHERE "id" = ?');
const SELECT_CERTIFICATE_TERMS = new Sql('SELECT "validFrom", "validUntil", "revokedAt" FROM "certificate" WHERE "subjectId" = ? ORDER BY "issuedAt" DESC LIMIT 1');
const SELECT_OWNER = new Sql('SELECT "id", "kind", "ownerId", "status" FROM "device_registry" WHERE "id" = ?');
const UPDATE_LAST_SEEN = new Sql('UPDATE "device_registry" SET "lastSeenAt" = ? WHERE "id" = ?');
const UPDATE_STATUS = new Sql('UPDATE "device_registry" SET "status" = ? WHERE "id" = ?');

export interface DeviceOwnership {
  readonly id: string;
  readonly kind: DeviceKind;
  readonly ownerId: string;
  readonly status: DeviceStatus;
}

/** A registry row, as TypeORM would load it (numbers as numbers on both databases). */
export async function readDevice(target: SqlTarget, id: string): Promise<DeviceEntity | null> {
  const [row] = await select<DeviceEntity & { createdAt: unknown; lastSeenAt: unknown }>(target, SELECT_DEVICE, [id]);
  if (row === undefined) return null;
  return Object.assign(new DeviceEntity(), row, { createdAt: numberOf(row.createdAt), lastSeenAt: numberOrNull(row.lastSeenAt) });
}

export interface CertificateTerms {
  readonly validFrom: number;
  readonly validUntil: number;
  readonly revokedAt: number | null;
}

/** The validity term and revocation of a subject's latest certificate. */
export async function readCertificateTerms(target: SqlTarget, subject: string): Promise<CertificateTerms | null> {
  const [row] = await select<{ validFrom: unknown; validUntil: unknown; revokedAt: unknown }>(target, SELECT_CERTIFICATE_TERMS, [subject]);
  return row === undefined ? null : { validFrom: numberOf(row.validFrom), validUntil: numberOf(row.validUntil), revokedAt: numberOrNull(row.revokedAt) };
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
