import type { ActorEvent } from '../actors/actor-event.js';
import type { DeviceEntity } from '../persistence/entities/device.entity.js';
import type { VerifiedMessage } from '../protocol/codec.js';

/** Where a verified device message goes: one actor and the domain event it receives. */
export interface RoutedEvent {
  readonly actorId: string;
  readonly kind: string;
  readonly input?: unknown;
  readonly processGroup: string;
  readonly event: ActorEvent;
}

/**
 * Maps one message type from devices to a domain event (the lookup step of the inbound path). Returning a string
 * refuses the message with that explanation ('refused').
 */
export interface InboundRoute {
  readonly messageType: string;
  route(verified: VerifiedMessage, device: DeviceEntity): Promise<RoutedEvent | string>;
}
