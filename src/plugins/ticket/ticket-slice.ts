import type { MachineEntry } from '../../actors/machine-catalog.js';
import type { MessageDefinition } from '../../protocol/message.js';
import type { PluginServices, PluginWiring } from '../plugin.contract.js';
import type { TicketPluginOptions } from './ticket.options.js';

/**
 * One process of the ticket service (order, purchase, registration, setup, examination...): its messages, its
 * director machines and what it wires into the platform. The service descriptor is the sum of its slices, so each
 * process lives in its own folder.
 */
export interface TicketSlice {
  readonly process: string;
  readonly messages: readonly MessageDefinition[];
  readonly machines: readonly MachineEntry[];
  readonly entities?: readonly Function[];
  readonly migrations?: readonly Function[];
  /** `options` are the plugin's (TicketPlugin.init); a slice that needs none may ignore them. */
  wire?(services: PluginServices, options?: TicketPluginOptions): PluginWiring;
}

/** Merges the wiring of every slice. */
export function wireSlices(slices: readonly TicketSlice[], services: PluginServices, options: TicketPluginOptions = {}): PluginWiring {
  const wirings = slices.map((slice) => slice.wire?.(services, options) ?? {});
  return {
    inboundRoutes: wirings.flatMap((wiring) => wiring.inboundRoutes ?? []),
    tasks: Object.assign({}, ...wirings.map((wiring) => wiring.tasks ?? {})) as PluginWiring['tasks'],
    dataUpdateHooks: wirings.flatMap((wiring) => wiring.dataUpdateHooks ?? []),
    externalRoutes: wirings.flatMap((wiring) => wiring.externalRoutes ?? []),
    close: async () => {
      for (const wiring of wirings) await wiring.close?.();
    },
  };
}
