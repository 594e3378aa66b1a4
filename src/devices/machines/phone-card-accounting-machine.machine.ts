import { createTerminalMachine } from './terminal.machine-kit.js';

/** The telephone-card accounting machine 800 at a switching center 105. */
export const phoneCardAccountingMachineMachine = createTerminalMachine('phoneCardAccountingMachine', 'merchantRemoteAccessRequest', 'merchantRemoteAccessData');
