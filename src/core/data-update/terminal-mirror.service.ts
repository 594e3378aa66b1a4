import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import type { TesseraConfig } from '../../config/config.schema.js';
import { TerminalMirrorEntity } from '../../persistence/entities/index.js';
import type { MirrorImage } from '../../persistence/entities/terminal-mirror.entity.js';
import { transaction } from '../../persistence/write-lock.js';
import { readDeviceOwnership, updateDeviceStatus, type DeviceOwnership } from '../../persistence/rows/device-rows.js';
import { readTaskResult, taskResultStatements } from '../../persistence/rows/task-result-rows.js';
import { readTerminalMirror, terminalMirrorStatements } from '../../persistence/rows/terminal-mirror-rows.js';
import { executeAll } from '../../persistence/raw-sql.js';
import { writeBatcher } from '../../persistence/write-batch.js';
import { BoundedCache } from '../../persistence/bounded-cache.js';
import { encodeCanonical } from '../../protocol/cbor.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import { isProtocolError } from '../../protocol/errors.js';
import type { DeviceKind } from '../../protocol/ids.js';
import type { DataUpdateMode, DataUpdateVerdict } from '../../actors/data-update-events.js';
import { fromBase64, toBase64 } from '../../common/bytes.js';
import type { AuditLog } from '../audit-log.js';
import type { DataUpdateHook, HookContext, MirrorChange } from './data-update-hook.js';
import { findAlteration, residentItems } from './mirror-comparison.js';
import { fromPackets, toPackets } from './packets.js';
import { includesUserArea, serviceDataDigest, uploadContent, type DataItem, type UpdateContent, type UpdateOptionCode, type UploadContent } from './terminal-image.js';

export interface CompareUploadInput {
  readonly pg: string;
  readonly mode: DataUpdateMode;
  readonly terminalId: string;
  readonly optionCode: UpdateOptionCode;
  /** base64, in packet-number order */
  readonly packets: readonly string[];
}

const emptyImage = (programVersion: string): MirrorImage => ({ programVersion, serviceData: {}, residentKeys: [], userArea: {} });

/** Terminals whose mirror and registry row stay in memory between sessions. */
const CACHED_TERMINALS = 20_000;

/**
 * The service providing system's side of network hierarchical storage: the mirror of every terminal, the choice of
 * upload range, the comparison that detects illegal alteration, and the update data that follows.
 */
export class TerminalMirrorService {
  private readonly hooks = new Map<string, DataUpdateHook>();
  private readonly allHooks: DataUpdateHook[] = [];
  /** Mirrors as last committed: the table is written only through this service, which updates this after each commit. */
  private readonly mirrors = new BoundedCache<string, TerminalMirrorEntity>(CACHED_TERMINALS);
  /** Counts mirror writes: a read that a write overtook does not go into the cache. */
  private mirrorWrites = 0;
  /** A device's kind and owner never change. */
  private readonly owners = new BoundedCache<string, Omit<DeviceOwnership, 'status'>>(CACHED_TERMINALS);

  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoBackend,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly settings: TesseraConfig['dataUpdate'],
    /** Told when a terminal's registry status changes here, so cached registry rows are dropped. */
    private readonly onDeviceStatusChanged: (deviceId: string) => void,
  ) {}

  addHooks(...hooks: readonly DataUpdateHook[]): void {
    for (const hook of hooks) {
      this.allHooks.push(hook);
      for (const kind of hook.recordKinds) this.hooks.set(kind, hook);
    }
  }

  digest(serviceData: Readonly<Record<string, DataItem>>): string {
    return serviceDataDigest(serviceData, (data) => this.crypto.sha256(data), encodeCanonical);
  }

  /** The terminal's mirror; inside a transaction (`manager`) always read from the database. */
  async mirror(deviceId: string, manager?: EntityManager): Promise<TerminalMirrorEntity> {
    const cached = manager === undefined ? this.mirrors.get(deviceId) : undefined;
    if (cached !== undefined) return cached;
    const writes = this.mirrorWrites;
    const mirror =
      (await readTerminalMirror(manager ?? this.dataSource, deviceId)) ??
      Object.assign(new TerminalMirrorEntity(), { deviceId, image: emptyImage('1.0.0'), updates: 0, lastUpdateAt: null, lastUploadAt: null, divergence: null, nextUpdateAt: null });
    if (manager === undefined && writes === this.mirrorWrites) this.mirrors.set(deviceId, mirror);
    return mirror;
  }

  private async owner(deviceId: string): Promise<Omit<DeviceOwnership, 'status'> | null> {
    const cached = this.owners.get(deviceId);
    if (cached !== undefined) return cached;
    const device = await readDeviceOwnership(this.dataSource, deviceId);
    if (device === null) return null;
    const owner = { id: device.id, kind: device.kind, ownerId: device.ownerId };
    this.owners.set(deviceId, owner);
    return owner;
  }

  /** The range the SP asks for ([1490]: the same code is not always designated): whole areas now and then, the program when behind. */
  async optionCodeFor(deviceId: string, mode: DataUpdateMode): Promise<UpdateOptionCode> {
    const mirror = await this.mirror(deviceId);
    if (mirror.image.programVersion !== this.settings.programVersion) return 5;
    if (mode === 'backup') return 4;
    return (mirror.updates + 1) % this.settings.fullUploadEvery === 0 ? 4 : 2;
  }

  /** Task `data-update.compare`: runs once per session; a second run returns the stored verdict. */
  async compareUpload(input: CompareUploadInput, key: string): Promise<DataUpdateVerdict> {
    const stored = await readTaskResult(this.dataSource, key);
    if (stored !== undefined) return stored as DataUpdateVerdict;
    const device = await this.owner(input.terminalId);
    if (device === null) return { verdict: 'expire', reason: 'unknown terminal' };
    const mirror = await this.mirror(input.terminalId);
    const upload = this.decode(input);
    const now = this.clock.now();
    const context: HookContext = { deviceId: device.id, deviceKind: device.kind, ownerId: device.ownerId, mirror: mirror.image, now };
    const alteration = typeof upload === 'string' ? upload : (findAlteration(mirror.image, upload, (items) => this.digest(items)) ?? (await this.checkRecords(upload, context)));
    if (alteration !== null && typeof alteration === 'string') return this.expire(key, mirror, input, alteration);
    const { image, content } = await this.nextImage(mirror.image, upload as UploadContent, alteration ?? [], context, input);
    const verdict: DataUpdateVerdict = { verdict: 'update', packets: toPackets(content).map(toBase64) };
    const next = Object.assign(new TerminalMirrorEntity(), { ...mirror, image, updates: mirror.updates + 1, lastUpdateAt: now, lastUploadAt: now, divergence: null, nextUpdateAt: content.updateTimeRegister });
    this.mirrorWrites += 1;
    try {
      await writeBatcher(this.dataSource).write({ mirrors: [next], taskResults: [{ taskKey: key, result: verdict, completedAt: now }] });
      this.mirrors.set(next.deviceId, next);
    } catch (error) {
      this.mirrors.delete(next.deviceId);
      throw error;
    }
    return verdict;
  }

  private decode(input: CompareUploadInput): UploadContent | string {
    try {
      const parsed = uploadContent.safeParse(fromPackets(input.packets.map(fromBase64)));
      if (!parsed.success) return `upload does not match its schema (${parsed.error.issues[0]?.path.join('.') ?? ''})`;
      if (parsed.data.optionCode !== input.optionCode) return `upload for option code ${parsed.data.optionCode}, asked ${input.optionCode}`;
      return parsed.data;
    } catch (error) {
      if (isProtocolError(error)) return `upload undecodable: ${error.message}`;
      throw error;
    }
  }

  /** Returns the mirror changes of every accepted record, or the reason a record was forged or unknown. */
  private async checkRecords(upload: UploadContent, context: HookContext): Promise<MirrorChange[] | string | null> {
    const changes: MirrorChange[] = [];
    for (const record of upload.records) {
      const hook = this.hooks.get(record.kind);
      if (hook === undefined) return `record '${record.id}' of unknown kind '${record.kind}'`;
      const result = await hook.verifyRecord(record, context);
      if (!result.accepted) return `record '${record.id}' refused: ${result.reason}`;
      changes.push(...result.changes);
    }
    return changes.length === 0 && upload.records.length === 0 ? null : changes;
  }

  private async nextImage(previous: MirrorImage, upload: UploadContent, recordChanges: readonly MirrorChange[], context: HookContext, input: CompareUploadInput): Promise<{ image: MirrorImage; content: UpdateContent }> {
    const serviceData: Record<string, DataItem> = { ...previous.serviceData };
    for (const [key, accessedAt] of Object.entries(upload.accessTimes)) {
      const item = serviceData[key];
      if (item !== undefined) serviceData[key] = { ...item, accessedAt: Math.max(item.accessedAt, accessedAt) };
    }
    for (const [key, item] of Object.entries(upload.serviceData ?? {})) {
      const kept = serviceData[key];
      if (kept !== undefined) serviceData[key] = { ...kept, accessedAt: Math.max(kept.accessedAt, item.accessedAt) };
    }
    const userArea = upload.userArea === null ? { ...previous.userArea } : { ...upload.userArea };
    const contributions = (await Promise.all(this.allHooks.map((hook) => hook.contribute(context)))).flat();
    for (const change of [...recordChanges, ...contributions]) {
      const area = change.area === 'serviceData' ? serviceData : userArea;
      if (change.item === null) delete area[change.key];
      else area[change.key] = change.item;
    }
    const residentKeys = this.residentKeys(serviceData, context.deviceKind);
    const image: MirrorImage = { programVersion: this.settings.programVersion, serviceData, residentKeys, userArea };
    const content: UpdateContent = {
      basicProgram: { version: this.settings.programVersion },
      serviceData: residentItems(image),
      userArea: includesUserArea(input.optionCode) || input.mode === 'backup' ? userArea : null,
      acceptedRecords: upload.records.map((record) => record.id),
      updateTimeRegister: context.now + this.settings.intervalMs,
    };
    return { image, content };
  }

  /** When the RAM is full, the entries with the latest access times stay in the terminal ([1497], [1514]). */
  private residentKeys(serviceData: Readonly<Record<string, DataItem>>, kind: DeviceKind): string[] {
    const capacity = this.settings.capacity[kind];
    return Object.entries(serviceData)
      .sort(([keyA, a], [keyB, b]) => b.accessedAt - a.accessedAt || keyA.localeCompare(keyB))
      .slice(0, capacity)
      .map(([key]) => key)
      .sort();
  }

  private async expire(key: string, mirror: TerminalMirrorEntity, input: CompareUploadInput, reason: string): Promise<DataUpdateVerdict> {
    const verdict: DataUpdateVerdict = { verdict: 'expire', reason };
    const now = this.clock.now();
    const next = Object.assign(new TerminalMirrorEntity(), { ...mirror, lastUploadAt: now, divergence: reason.slice(0, 200) });
    this.mirrorWrites += 1;
    try {
      await transaction(this.dataSource, async (em) => {
        await executeAll(em, terminalMirrorStatements([next]));
        await updateDeviceStatus(em, input.terminalId, 'use-disabled');
        await executeAll(em, taskResultStatements([{ taskKey: key, result: verdict, completedAt: now }]));
      });
    } finally {
      this.mirrors.delete(next.deviceId);
    }
    this.onDeviceStatusChanged(input.terminalId);
    await this.audit.record({ category: 'alert', reason: 'mandatory-expiration', principal: input.terminalId, transport: input.pg, message: `${input.terminalId} halted: ${reason}`, detail: { pg: input.pg, mode: input.mode } });
    return verdict;
  }

  /** Operator / service: sets an entry of a terminal's service data area; it reaches the terminal with the next update. */
  async putServiceData(deviceId: string, key: string, item: DataItem | null): Promise<void> {
    this.mirrorWrites += 1;
    try {
      await transaction(this.dataSource, async (em) => {
        const mirror = await this.mirror(deviceId, em);
        const serviceData = { ...mirror.image.serviceData };
        if (item === null) delete serviceData[key];
        else serviceData[key] = item;
        await executeAll(em, terminalMirrorStatements([{ ...mirror, image: { ...mirror.image, serviceData } }]));
      });
    } finally {
      // Read again on next use: the row was written in a transaction that may still have failed.
      this.mirrors.delete(deviceId);
    }
  }

  async list(): Promise<TerminalMirrorEntity[]> {
    return this.dataSource.getRepository(TerminalMirrorEntity).find({ order: { deviceId: 'ASC' } });
  }
}
