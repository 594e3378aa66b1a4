import { createTerminalMachine } from './terminal.machine-kit.js';
import { TERMINAL_PROFILES } from './terminal-profile.js';

/** The accounting machine 3555 of an automatic vending machine 104. */
export const accountingMachineMachine = createTerminalMachine(TERMINAL_PROFILES['vending']);
