import { createTerminalMachine } from './terminal.machine-kit.js';
import { TERMINAL_PROFILES } from './terminal-profile.js';

/** The telephone-card accounting machine 800 at a switching center 105. */
export const phoneCardAccountingMachineMachine = createTerminalMachine(TERMINAL_PROFILES['phone-accounting']);
