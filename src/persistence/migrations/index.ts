import { CoreLists0001 } from './0001-core-lists.js';
import { ActorsAndTrace0002 } from './0002-actors-and-trace.js';

export const CORE_MIGRATIONS = [CoreLists0001, ActorsAndTrace0002];
