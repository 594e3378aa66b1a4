import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../columns.js';

/** A public-key certificate signed by the service provider; `frame` is the signed frame (base64) a device can verify. */
@Entity('certificate')
export class CertificateEntity {
  @PrimaryColumn('varchar', { length: 64 }) id!: string;
  @Index() @Column('varchar', { length: 160 }) subjectId!: string;
  @Column('varchar', { length: 64 }) signingPublicKey!: string;
  @Column('varchar', { length: 64 }) sealingPublicKey!: string;
  @Column('bigint', { transformer: bigintNumber }) validFrom!: number;
  @Column('bigint', { transformer: bigintNumber }) validUntil!: number;
  @Column('varchar', { length: 160 }) issuerId!: string;
  @Column('bigint', { transformer: bigintNumber }) issuedAt!: number;
  @Column('text') frame!: string;
  @Column('bigint', { transformer: bigintNumber, nullable: true }) revokedAt!: number | null;
  @Column('varchar', { length: 200, nullable: true }) revocationReason!: string | null;
}
