import { TpsAccount } from './tps-account.entity.js';
import { TpsClearing } from './tps-clearing.entity.js';
import { TpsJournalEntry } from './tps-journal-entry.entity.js';
import { TpsPosting } from './tps-posting.entity.js';
import { TpsRequest } from './tps-request.entity.js';

export const TPS_ENTITIES = [TpsAccount, TpsJournalEntry, TpsPosting, TpsRequest, TpsClearing];
