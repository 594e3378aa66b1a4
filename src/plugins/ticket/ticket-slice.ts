import type { MachineEntry } from '../../actors/machine-catalog.js';
import type { MessageDefinition } from '../../protocol/message.js';
import type { PluginServices, PluginWiring } from '../plugin.contract.js';

/**
 * One process of the ticket service (order, purchase, registration, setup, examination...): its messages, its
 * director machines and what it wires into the platform. The service descriptor is the sum of its slices, so each
 * process lives in its own folder.
 */
export interface TicketSlice {
  readonly process: string;
  readonly messages: readonly MessageDefinition[];
  readonly machines: readonly MachineEntry[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM takes entity and migration classes as Function
  readonly entities?: readonly Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations?: readonly Function[];
  wire?(services: PluginServices): PluginWiring;
}

/** Merges the wiring of every slice. */
export function wireSlices(slices: readonly TicketSlice[], services: PluginServices): PluginWiring {
  const wirings = slices.map((slice) => slice.wire?.(services) ?? {});
  return {
    inboundRoutes: wirings.flatMap((wiring) => wiring.inboundRoutes ?? []),
    tasks: Object.assign({}, ...wirings.map((wiring) => wiring.tasks ?? {})) as PluginWiring['tasks'],
    dataUpdateHooks: wirings.flatMap((wiring) => wiring.dataUpdateHooks ?? []),
  };
}
