import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../columns.js';

export type PartyKind = 'sp' | 'user' | 'merchant' | 'csp' | 'issuer' | 'tps';
export type PrincipalStatus = 'active' | 'disabled';

/** Every party the service providing system knows, with its public keys (base64). */
@Entity('party')
export class PartyEntity {
  @PrimaryColumn('varchar', { length: 160 }) id!: string;
  @Column('varchar', { length: 16 }) kind!: PartyKind;
  @Column('varchar', { length: 200 }) displayName!: string;
  @Column('varchar', { length: 64 }) signingPublicKey!: string;
  @Column('varchar', { length: 64 }) sealingPublicKey!: string;
  @Column('varchar', { length: 16 }) status!: PrincipalStatus;
  @Column('bigint', { transformer: bigintNumber }) createdAt!: number;
}
