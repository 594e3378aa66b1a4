import { createTerminalMachine } from './terminal.machine-kit.js';
import { TERMINAL_PROFILES } from './terminal-profile.js';

/** The mobile user terminal 100: holds the user's keys, tickets and cards; backs up at low battery. */
export const mobileUserTerminalMachine = createTerminalMachine(TERMINAL_PROFILES['mobile']);
