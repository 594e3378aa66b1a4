import { createTerminalMachine } from './terminal.machine-kit.js';

/** The mobile user terminal 100: holds the user's keys, tickets and cards. */
export const mobileUserTerminalMachine = createTerminalMachine('mobileUserTerminal', 'remoteAccessRequest', 'remoteAccessData');
