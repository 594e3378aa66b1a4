import type { UpdateOptionCode } from './terminal-image.js';

/**
 * Task a service director runs to push new service data to terminals at once (forcible data updating [1519]-[1538]),
 * e.g. a modified ticket examination program to the gates that examine the ticket ([1719]-[1722]). The result names
 * the process groups of the sessions; running the task again with the same key reaches the same sessions.
 */
export const FORCIBLE_UPDATE_TASK = 'data-update.forcible';

export interface ForcibleUpdateInput {
  readonly deviceIds: readonly string[];
  readonly optionCode: UpdateOptionCode;
}

export interface ForcibleUpdateResult {
  readonly processGroups: readonly string[];
}
