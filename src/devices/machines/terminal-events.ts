/** Events a terminal's machine handles. Downlinks arrive verified, with byte fields as base64. */
export type TerminalEvent =
  | { readonly type: 'remoteAccess.start'; readonly requestId: string; readonly dataAddress: string }
  | { readonly type: 'message.received'; readonly messageType: string; readonly id: string; readonly re?: string; readonly fields: Record<string, unknown> }
  | { readonly type: 'battery.measured'; readonly level: number }
  | { readonly type: 'terminal.useDisabled'; readonly reason: string };

/** What a terminal's machine asks its runtime to send to the service providing system. */
export interface UplinkEffect {
  readonly type: 'effect.uplink';
  readonly id: string;
  readonly messageType: string;
  readonly fields: Record<string, unknown>;
}

export interface TemporaryEntry {
  readonly contentType: string;
  readonly data: string;
  readonly found: boolean;
}

/** The memory areas, statuses and lists a terminal keeps (DESIGN "State and money"). */
export interface TerminalContext {
  readonly deviceId: string;
  /** Who signs and receives this terminal's messages: the user (mobile user terminal) or the device itself. */
  readonly principal: string;
  readonly merchantId: string | null;
  readonly memory: {
    readonly basicProgram: { readonly version: string };
    readonly serviceData: Record<string, unknown>;
    readonly userArea: Record<string, unknown>;
    /** Remote access data stored for use [1477], [1483], by data address. */
    readonly temporaryArea: Record<string, TemporaryEntry>;
  };
  readonly status: { readonly useDisabled: boolean; readonly writingDisabled: boolean };
  readonly updateTimeRegister: number | null;
  readonly batteryLevel: number;
  readonly lists: Record<string, readonly unknown[]>;
  /** Remote access requests sent and not yet answered, by request ID. */
  readonly pending: Record<string, { readonly dataAddress: string }>;
  /** IDs of the latest downlinks, so a redelivered message is applied once. */
  readonly seenMessageIds: readonly string[];
}

export interface TerminalInput {
  readonly deviceId: string;
  readonly principal: string;
  readonly merchantId?: string | null;
  readonly programVersion?: string;
}
