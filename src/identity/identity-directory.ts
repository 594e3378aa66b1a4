import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../common/clock.js';
import { fromBase64, toBase64 } from '../common/bytes.js';
import type { KeyDirectory, KeyLookup } from '../protocol/codec.js';
import type { Envelope } from '../protocol/envelope.js';
import { deviceKindOf, type DeviceId, type MerchantId, type PrincipalId, type SpId, type UserId } from '../protocol/ids.js';
import { CertificateEntity, DeviceEntity, MerchantListEntity, PartyEntity, UserListEntity } from '../persistence/entities/index.js';
import type { PartyKind } from '../persistence/entities/party.entity.js';
import type { DeviceStatus } from '../persistence/entities/device.entity.js';
import { signCertificate } from './certificate.js';
import type { StoredIdentity } from './key-file.js';
import { transaction, withWriteLock } from '../persistence/write-lock.js';
import { readCertificateTerms, readDevice } from '../persistence/rows/device-rows.js';
import { BoundedCache } from '../persistence/bounded-cache.js';

export interface PublicKeys {
  readonly signingPublicKey: Uint8Array;
  readonly sealingPublicKey: Uint8Array;
}

interface DirectoryEntry extends PublicKeys {
  readonly status: 'active' | 'disabled' | 'use-disabled';
  readonly validFrom: number;
  readonly validUntil: number;
  readonly revoked: boolean;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;
/** Principals (and devices) whose keys and rows stay in memory, the most recently used; the rest are read again. */
const CACHED_PRINCIPALS = 100_000;

/**
 * Parties, devices and their SP-signed certificates: the user list, merchant list and device registry.
 * Also the KeyDirectory the inbound pipeline asks for signing keys; entries are cached and refreshed on change.
 */
export class IdentityDirectory implements KeyDirectory {
  private readonly cache = new BoundedCache<string, DirectoryEntry>(CACHED_PRINCIPALS);
  /** Registry rows read on every message; dropped on any change made through this directory or `forget`. */
  private readonly devices = new BoundedCache<string, DeviceEntity>(CACHED_PRINCIPALS);
  private readonly terminalUsers = new BoundedCache<string, UserListEntity>(CACHED_PRINCIPALS);

  constructor(
    private readonly dataSource: DataSource,
    private readonly envelope: Envelope,
    private readonly clock: Clock,
    readonly sp: StoredIdentity & { readonly id: SpId },
  ) {}

  /** The SP's own party row and self-signed root certificate, created on first start. */
  async ensureServiceProvider(displayName: string): Promise<void> {
    if ((await this.dataSource.getRepository(PartyEntity).findOneBy({ id: this.sp.id })) !== null) return;
    await this.registerParty(this.sp.id, 'sp', displayName, { signingPublicKey: this.sp.keys.signing.publicKey, sealingPublicKey: this.sp.keys.sealing.publicKey });
  }

  async registerParty(id: PrincipalId, kind: PartyKind, displayName: string, keys: PublicKeys, manager?: EntityManager): Promise<CertificateEntity> {
    const run = async (em: EntityManager) => {
      await em.getRepository(PartyEntity).insert({
        id,
        kind,
        displayName,
        signingPublicKey: toBase64(keys.signingPublicKey),
        sealingPublicKey: toBase64(keys.sealingPublicKey),
        status: 'active',
        createdAt: this.clock.now(),
      });
      if (kind === 'merchant' || kind === 'csp') {
        await em.getRepository(MerchantListEntity).insert({ merchantId: id, name: displayName, status: 'active', registeredAt: this.clock.now() });
      }
      return this.issueCertificate(em, id, keys);
    };
    const certificate = manager === undefined ? await transaction(this.dataSource, run) : await run(manager);
    this.cache.delete(id);
    return certificate;
  }

  /** A user and the mobile user terminal that holds the user's keys (the spec's user list). */
  async registerUser(userId: UserId, displayName: string, terminalId: DeviceId, userKeys: PublicKeys, terminalKeys: PublicKeys): Promise<void> {
    await transaction(this.dataSource, async (em) => {
      await this.registerParty(userId, 'user', displayName, userKeys, em);
      await this.insertDevice(em, terminalId, userId, terminalKeys);
      await em.getRepository(UserListEntity).insert({ userId, terminalId, status: 'active', registeredAt: this.clock.now() });
    });
  }

  async registerDevice(deviceId: DeviceId, ownerId: MerchantId | PrincipalId, keys: PublicKeys): Promise<void> {
    await transaction(this.dataSource, (em) => this.insertDevice(em, deviceId, ownerId, keys));
  }

  private async insertDevice(em: EntityManager, id: DeviceId, ownerId: PrincipalId, keys: PublicKeys): Promise<void> {
    await em.getRepository(DeviceEntity).insert({
      id,
      kind: deviceKindOf(id),
      ownerId,
      signingPublicKey: toBase64(keys.signingPublicKey),
      sealingPublicKey: toBase64(keys.sealingPublicKey),
      status: 'active',
      createdAt: this.clock.now(),
      lastSeenAt: null,
    });
    await this.issueCertificate(em, id, keys);
    this.cache.delete(id);
  }

  private async issueCertificate(em: EntityManager, subject: string, keys: PublicKeys): Promise<CertificateEntity> {
    const now = this.clock.now();
    const body = {
      id: randomUUID(),
      subject,
      signingPublicKey: keys.signingPublicKey,
      sealingPublicKey: keys.sealingPublicKey,
      validFrom: now,
      validUntil: now + TEN_YEARS_MS,
      issuer: this.sp.id,
      issuedAt: now,
    };
    const frame = signCertificate(this.envelope, body, { kid: this.sp.id, secretKey: this.sp.keys.signing.secretKey });
    const entity = em.getRepository(CertificateEntity).create({
      id: body.id,
      subjectId: subject,
      signingPublicKey: toBase64(keys.signingPublicKey),
      sealingPublicKey: toBase64(keys.sealingPublicKey),
      validFrom: body.validFrom,
      validUntil: body.validUntil,
      issuerId: this.sp.id,
      issuedAt: now,
      frame: toBase64(frame),
      revokedAt: null,
      revocationReason: null,
    });
    return em.getRepository(CertificateEntity).save(entity);
  }

  async certificateOf(subject: string): Promise<CertificateEntity | null> {
    return this.dataSource.getRepository(CertificateEntity).findOne({ where: { subjectId: subject }, order: { issuedAt: 'DESC' } });
  }

  async revokeCertificates(subject: string, reason: string): Promise<void> {
    await withWriteLock(this.dataSource, () => this.dataSource.getRepository(CertificateEntity).update({ subjectId: subject }, { revokedAt: this.clock.now(), revocationReason: reason }));
    this.cache.delete(subject);
  }

  async setDeviceStatus(id: DeviceId, status: DeviceStatus): Promise<void> {
    await withWriteLock(this.dataSource, () => this.dataSource.getRepository(DeviceEntity).update({ id }, { status }));
    this.forget(id);
  }

  async setPartyStatus(id: PrincipalId, status: 'active' | 'disabled'): Promise<void> {
    await withWriteLock(this.dataSource, () => this.dataSource.getRepository(PartyEntity).update({ id }, { status }));
    this.forget();
  }

  async device(id: string): Promise<DeviceEntity | null> {
    const cached = this.devices.get(id);
    if (cached !== undefined) return cached;
    const row = await readDevice(this.dataSource, id);
    if (row !== null) this.devices.set(id, row);
    return row;
  }

  async userOfTerminal(terminalId: DeviceId): Promise<UserListEntity | null> {
    const cached = this.terminalUsers.get(terminalId);
    if (cached !== undefined) return cached;
    const row = await this.dataSource.getRepository(UserListEntity).findOneBy({ terminalId });
    if (row !== null) this.terminalUsers.set(terminalId, row);
    return row;
  }

  async sealingKey(id: string): Promise<Uint8Array | undefined> {
    return (await this.entry(id))?.sealingPublicKey;
  }

  async signingKey(kid: string, at: number): Promise<KeyLookup> {
    const entry = await this.entry(kid);
    if (entry === undefined) return { usable: false, reason: 'unknown-principal' };
    if (entry.status !== 'active') return { usable: false, reason: 'disabled' };
    if (entry.revoked || at < entry.validFrom || at > entry.validUntil) return { usable: false, reason: 'revoked' };
    return { usable: true, publicKey: entry.signingPublicKey, holder: kid };
  }

  /** Drops cached entries, e.g. after another process changed a status. */
  forget(id?: string): void {
    if (id === undefined) {
      this.cache.clear();
      this.devices.clear();
      this.terminalUsers.clear();
      return;
    }
    this.cache.delete(id);
    this.devices.delete(id);
    this.terminalUsers.delete(id);
  }

  private async entry(id: string): Promise<DirectoryEntry | undefined> {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const row: { signingPublicKey: string; sealingPublicKey: string; status: DirectoryEntry['status'] } | null =
      id.startsWith('dev:') ? await this.device(id) : await this.dataSource.getRepository(PartyEntity).findOneBy({ id });
    if (row === null) return undefined;
    const certificate = await readCertificateTerms(this.dataSource, id);
    const entry: DirectoryEntry = {
      signingPublicKey: fromBase64(row.signingPublicKey),
      sealingPublicKey: fromBase64(row.sealingPublicKey),
      status: row.status,
      validFrom: certificate?.validFrom ?? 0,
      validUntil: certificate?.validUntil ?? 0,
      revoked: certificate === null || certificate.revokedAt !== null,
    };
    this.cache.set(id, entry);
    return entry;
  }
}
