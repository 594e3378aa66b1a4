import type { Message } from '../../../../protocol/message.js';
import type { ModuleStore } from '../../../../devices/modules/module-store.js';
import type { TerminalModuleHost } from '../../../../devices/modules/terminal-module.js';
import type { WalletState } from './wallet-state.js';

/** What a wallet process is given: the terminal, and the wallet's memory shared by every process. */
export interface WalletContext {
  readonly host: TerminalModuleHost;
  readonly store: ModuleStore<WalletState>;
}

/** One ticket process on the mobile user terminal's side (ordering, purchasing, registering, presenting...). */
export interface WalletProcess {
  /** Downlinks from the service providing system this process takes. */
  readonly messageTypes: readonly string[];
  onMessage(message: Message): Promise<void>;
  /** After a data update brought new update data (final receipts, reference results...). */
  onDataUpdated?(): Promise<void>;
}
