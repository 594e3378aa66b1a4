import type { AnyStateMachine } from 'xstate';
import { CORE_MACHINES } from '../../platform/core-catalog.js';
import { deviceKindOf, type DeviceId } from '../../protocol/ids.js';
import type { TerminalInput } from '../machines/terminal-context.js';
import type { DeviceCredentials } from '../credentials.js';

/** The machine of a device's kind, as the platform's catalogue registers it. */
export function terminalMachineFor(deviceId: DeviceId): AnyStateMachine {
  const entry = CORE_MACHINES.find((machine) => machine.kind === `device:${deviceKindOf(deviceId)}`);
  if (entry === undefined) throw new Error(`no machine for ${deviceId}`);
  return entry.machine;
}

/** The input a terminal that has never run starts from. */
export function terminalInputFor(credentials: DeviceCredentials, settings: { backupThreshold?: number; sessionTimeoutMs?: number } = {}): TerminalInput {
  return {
    deviceId: credentials.deviceId,
    principal: credentials.principal.id,
    merchantId: credentials.merchantId,
    ...(settings.backupThreshold === undefined ? {} : { backupThreshold: settings.backupThreshold }),
    ...(settings.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: settings.sessionTimeoutMs }),
  };
}
