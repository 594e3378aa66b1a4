import { ActorSnapshotEntity } from './actor-snapshot.entity.js';
import { AuditRecordEntity } from './audit-record.entity.js';
import { CertificateEntity } from './certificate.entity.js';
import { DeviceEntity } from './device.entity.js';
import { InspectionEventEntity } from './inspection-event.entity.js';
import { MerchantListEntity } from './merchant-list.entity.js';
import { OutboxEntity } from './outbox.entity.js';
import { PartyEntity } from './party.entity.js';
import { RemoteDataEntity } from './remote-data.entity.js';
import { ReplayEntryEntity } from './replay-entry.entity.js';
import { TaskResultEntity } from './task-result.entity.js';
import { TerminalMirrorEntity } from './terminal-mirror.entity.js';
import { UserListEntity } from './user-list.entity.js';

export {
  ActorSnapshotEntity,
  AuditRecordEntity,
  CertificateEntity,
  DeviceEntity,
  InspectionEventEntity,
  MerchantListEntity,
  OutboxEntity,
  PartyEntity,
  RemoteDataEntity,
  ReplayEntryEntity,
  TaskResultEntity,
  TerminalMirrorEntity,
  UserListEntity,
};

/** The core's entities; plugins add their own through the plugin contract. */
export const CORE_ENTITIES = [
  PartyEntity,
  DeviceEntity,
  UserListEntity,
  MerchantListEntity,
  CertificateEntity,
  ReplayEntryEntity,
  ActorSnapshotEntity,
  InspectionEventEntity,
  AuditRecordEntity,
  OutboxEntity,
  RemoteDataEntity,
  TerminalMirrorEntity,
  TaskResultEntity,
];
