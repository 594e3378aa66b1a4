import { ModuleStore } from '../../../../devices/modules/module-store.js';
import type { TerminalModule, TerminalModuleFactory, TerminalModuleHost } from '../../../../devices/modules/terminal-module.js';
import { ProtocolError } from '../../../../protocol/errors.js';
import type { Message, MessageDefinition } from '../../../../protocol/message.js';
import type { WalletContext, WalletProcess } from './wallet-process.js';
import { initialWalletState, walletState, type WalletState } from './wallet-state.js';

export const TICKET_WALLET_MODULE = 'ticket.wallet';

/**
 * The mobile user terminal's ticket module: the ticket list 1712 and use list 1715, and one process object per ticket
 * process of the terminal's side. Verified downlinks go to the process that takes their type.
 */
export class TicketWallet implements TerminalModule {
  readonly moduleId = TICKET_WALLET_MODULE;
  readonly messageTypes: readonly string[];
  readonly context: WalletContext;
  private readonly byType = new Map<string, WalletProcess>();

  constructor(host: TerminalModuleHost) {
    const store = new ModuleStore<WalletState>(host.stateFile(TICKET_WALLET_MODULE), initialWalletState, (raw) => walletState.parse(raw));
    this.context = { host, store };
    for (const process of this.createProcesses()) for (const type of process.messageTypes) this.byType.set(type, process);
    this.messageTypes = [...this.byType.keys()];
  }

  get state(): WalletState {
    return this.context.store.get();
  }

  async onMessage(message: Message): Promise<void> {
    const process = this.byType.get(message.type);
    if (process === undefined) throw new ProtocolError('unknown-type', `the ticket wallet takes no ${message.type}`, { type: message.type });
    await process.onMessage(message);
  }

  async close(): Promise<void> {
    // The store writes through: nothing is held back.
  }

  /** The processes of the terminal's side; each keeps a typed handle on the wallet for its own commands. */
  private createProcesses(): WalletProcess[] {
    return [];
  }
}

/** The wallet, for the mobile user terminal. `messages` are every ticket message the terminal sends or receives. */
export function ticketWalletModule(messages: readonly MessageDefinition[]): TerminalModuleFactory {
  return { moduleId: TICKET_WALLET_MODULE, deviceKinds: ['mobile'], messages, create: (host) => new TicketWallet(host) };
}
