import type { UpdateOptionCode } from '../core/data-update/terminal-image.js';

/** Why a data update session runs: the terminal's update time ([1486]), low battery ([1541]) or the SP ([1521]). */
export type DataUpdateMode = 'scheduled' | 'backup' | 'forcible';

/** A verified data update or backup request, or an operator's forcible update, handed to a processor. */
export interface DataUpdateRequested {
  readonly type: 'dataUpdate.requested';
  readonly pg: string;
  readonly mode: DataUpdateMode;
  readonly terminalId: string;
  /** The addressee of the SP's messages: the user (mobile user terminal) or the device. */
  readonly principal: string;
  readonly optionCode: UpdateOptionCode;
  /** The request being answered (absent for a forcible update). */
  readonly requestId?: string;
  readonly uploadTimeoutMs: number;
}

/** One verified upload data packet of a session. */
export interface UploadPacketReceived {
  readonly type: 'upload.packet';
  readonly pg: string;
  readonly terminalId: string;
  readonly packetNumber: number;
  readonly packetCount: number;
  /** base64 */
  readonly data: string;
}

/** The comparison of an upload with the mirror ([1494], [1498]). */
export type DataUpdateVerdict = { readonly verdict: 'update'; readonly packets: readonly string[] } | { readonly verdict: 'expire'; readonly reason: string };
