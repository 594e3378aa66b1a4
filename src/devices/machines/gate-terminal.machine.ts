import { createTerminalMachine } from './terminal.machine-kit.js';
import { TERMINAL_PROFILES } from './terminal-profile.js';

/** The gate terminal 101: examines tickets at a gate and opens it. */
export const gateTerminalMachine = createTerminalMachine(TERMINAL_PROFILES['gate']);
