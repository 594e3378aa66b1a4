import { createTerminalMachine } from './terminal.machine-kit.js';
import { TERMINAL_PROFILES } from './terminal-profile.js';

/** The merchant terminals 102 and 103: sell tickets and take payment cards at a till; back up at low battery. */
export const merchantTerminalMachine = createTerminalMachine(TERMINAL_PROFILES['merchant']);
