import type { StateValue } from 'xstate';

/**
 * A terminal's state in one word for logs, the CLI and tests: 'useDisabled'; 'ready' when every region rests; else the
 * active states ('uploading', 'awaitingRemoteData+awaitingUpdateData').
 */
export function terminalStateName(value: StateValue): string {
  if (typeof value === 'string') return value;
  const leaves = activeLeaves(value);
  const active = leaves.filter((leaf) => leaf !== 'ready');
  return active.length === 0 ? 'ready' : active.join('+');
}

function activeLeaves(value: StateValue): string[] {
  if (typeof value === 'string') return [value];
  return Object.values(value).flatMap((child) => (child === undefined ? [] : activeLeaves(child)));
}
