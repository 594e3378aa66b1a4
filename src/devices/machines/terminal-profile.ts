import type { DeviceKind } from '../../protocol/ids.js';

/** What differs between the five terminal kinds; everything else is the shared terminal machine. */
export interface TerminalProfile {
  /** Machine id, shown by the inspector and Stately's editor. */
  readonly id: string;
  /** Remote access request 5600 (mobile user terminal) or 5700 (merchant devices), and its answer. */
  readonly requestType: 'remoteAccessRequest' | 'merchantRemoteAccessRequest';
  readonly responseType: 'remoteAccessData' | 'merchantRemoteAccessData';
  /** Who the terminal speaks for: its user ([1487]: user ID) or itself and its merchant ([1504]: terminal ID, merchant ID). */
  readonly party: 'user' | 'terminal';
  /** Whether it backs its memory up when the battery runs low: the mobile user terminal [1541] and the merchant terminal [1549]. */
  readonly backsUp: boolean;
}

const merchantRemoteAccess = { requestType: 'merchantRemoteAccessRequest', responseType: 'merchantRemoteAccessData', party: 'terminal' } as const;

/** One profile per device kind. The spec's backup paragraphs name the merchant terminal (103; "104" in [1539] is a slip). */
export const TERMINAL_PROFILES: Readonly<Record<DeviceKind, TerminalProfile>> = {
  mobile: { id: 'mobileUserTerminal', requestType: 'remoteAccessRequest', responseType: 'remoteAccessData', party: 'user', backsUp: true },
  gate: { id: 'gateTerminal', ...merchantRemoteAccess, backsUp: false },
  merchant: { id: 'merchantTerminal', ...merchantRemoteAccess, backsUp: true },
  vending: { id: 'accountingMachine', ...merchantRemoteAccess, backsUp: false },
  'phone-accounting': { id: 'phoneCardAccountingMachine', ...merchantRemoteAccess, backsUp: false },
};
