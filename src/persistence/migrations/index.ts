import { CoreLists0001 } from './0001-core-lists.js';
import { ActorsAndTrace0002 } from './0002-actors-and-trace.js';
import { TerminalMirror1767225600003 } from './0003-terminal-mirror.js';

export const CORE_MIGRATIONS = [CoreLists0001, ActorsAndTrace0002, TerminalMirror1767225600003];
