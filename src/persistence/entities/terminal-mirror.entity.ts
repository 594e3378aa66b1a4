import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../columns.js';
import type { DataItem } from '../../core/data-update/terminal-image.js';

/** The service providing system's mirror of one terminal's memory (terminal data 4607, memory data 4705). */
export interface MirrorImage {
  programVersion: string;
  /** Every service data item the SP keeps for the terminal; `residentKeys` are the ones in the terminal's RAM. */
  serviceData: Record<string, DataItem>;
  residentKeys: string[];
  userArea: Record<string, DataItem>;
}

@Entity('terminal_mirror')
export class TerminalMirrorEntity {
  @PrimaryColumn('varchar', { length: 160 }) deviceId!: string;
  @Column('text', { transformer: jsonText }) image!: MirrorImage;
  @Column('integer') updates!: number;
  @Column('bigint', { transformer: bigintNumber, nullable: true }) lastUpdateAt!: number | null;
  @Column('bigint', { transformer: bigintNumber, nullable: true }) lastUploadAt!: number | null;
  /** Why the last upload did not match the mirror (null when it matched). */
  @Column('varchar', { length: 200, nullable: true }) divergence!: string | null;
  @Column('bigint', { transformer: bigintNumber, nullable: true }) nextUpdateAt!: number | null;
}
