import type { DeviceKind } from '../../protocol/ids.js';
import type { MirrorImage } from '../../persistence/entities/terminal-mirror.entity.js';
import type { DataItem, DeviceRecord } from './terminal-image.js';

/** A change a service makes to a terminal's mirror (and so to the terminal, through the next update data). */
export interface MirrorChange {
  readonly area: 'serviceData' | 'userArea';
  readonly key: string;
  /** null removes the entry. */
  readonly item: DataItem | null;
}

export interface HookContext {
  readonly deviceId: string;
  readonly deviceKind: DeviceKind;
  readonly ownerId: string;
  readonly mirror: Readonly<MirrorImage>;
  readonly now: number;
}

/**
 * How a service plugin takes part in data updates without the core knowing the service: it verifies the records its
 * terminal modules add to uploads (examination responses, micro-checks) and contributes its results to the update
 * data (reference results, final receipts replacing temporary ones, new examination programs, card lists).
 *
 * @example
 * const examinationResponses: DataUpdateHook = {
 *   recordKinds: ['ticket.examinationResponse'],
 *   async verifyRecord(record, context) { ...; return { accepted: true, changes: [{ area: 'serviceData', key: `ticket:${id}`, item }] }; },
 *   async contribute(context) { return []; },
 * };
 */
export interface DataUpdateHook {
  readonly recordKinds: readonly string[];
  verifyRecord(record: DeviceRecord, context: HookContext): Promise<{ readonly accepted: true; readonly changes: readonly MirrorChange[] } | { readonly accepted: false; readonly reason: string }>;
  contribute(context: HookContext): Promise<readonly MirrorChange[]>;
}
