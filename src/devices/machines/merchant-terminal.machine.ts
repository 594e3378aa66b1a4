import { createTerminalMachine } from './terminal.machine-kit.js';

/** The merchant terminals 102 and 103: sell tickets and take payment cards at a till. */
export const merchantTerminalMachine = createTerminalMachine('merchantTerminal', 'merchantRemoteAccessRequest', 'merchantRemoteAccessData');
