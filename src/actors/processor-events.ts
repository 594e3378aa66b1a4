import type { ExternalReplyEvent } from './effects.js';

/** A verified remote access request, as the device gateway hands it to a processor. Data as base64. */
export interface RemoteAccessRequested {
  readonly type: 'remoteAccess.requested';
  readonly pg: string;
  readonly requestId: string;
  /** The principal the answer is addressed to: the user (mobile) or the device (merchant devices). */
  readonly requester: string;
  readonly terminalId: string;
  readonly dataAddress: string;
  readonly holder: string;
  readonly responseType: 'remoteAccessData' | 'merchantRemoteAccessData';
  /** Present when the service provider itself holds the address. */
  readonly local?: { readonly found: boolean; readonly contentType: string; readonly data: string };
}

/** A service director process to open for a process group. */
export interface ProcessOpen {
  readonly type: 'process.open';
  readonly pg: string;
  readonly process: string;
  readonly input: Record<string, unknown>;
}

/** Ask an issuer or transaction processor processor to exchange a message with its external system. */
export interface ExchangeRequested {
  readonly type: 'exchange.requested';
  readonly pg: string;
  readonly party: string;
  readonly messageType: string;
  readonly fields: Record<string, unknown>;
  readonly replyTo: string;
}

export type { ExternalReplyEvent };

export const SERVICE_MANAGER_ID = 'processor:service-manager';
export const USER_PROCESSOR_ID = 'processor:user';
export const MERCHANT_PROCESSOR_ID = 'processor:merchant';
