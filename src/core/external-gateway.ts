import type { ActorSystem } from '../actors/actor-system.js';
import type { IdentityDirectory } from '../identity/identity-directory.js';
import type { InspectionLog } from '../inspection/inspection-log.js';
import type { MessageCodec, Recipient, ReplayGuard, VerifiedMessage } from '../protocol/codec.js';
import type { Signer } from '../protocol/envelope.js';
import { isProtocolError, ProtocolError } from '../protocol/errors.js';
import { parseId, type PrincipalId } from '../protocol/ids.js';
import type { AuditLog } from './audit-log.js';
import { messageDetail, refuseIfEnded } from './device-gateway.js';
import { externalReceipt } from './external-inbound.messages.js';
import type { RoutedEvent } from './inbound-route.js';

/** Maps one message type that external parties send on their own initiative to a domain event. */
export interface ExternalInboundRoute {
  readonly messageType: string;
  /** A string refuses the message with that explanation. */
  route(verified: VerifiedMessage): Promise<RoutedEvent | string>;
}

/**
 * Requests external parties start (a ticket issuer's modification request) come in here: decoded, opened, verified
 * (signed by a registered issuing or transaction processing system, sealed to the SP, fresh, not replayed), routed to
 * an actor durably, and acknowledged with a sealed `externalReceipt`. A refusal is audited and traced, and thrown: the
 * transport answers it with a typed error.
 */
export class ExternalGateway {
  private readonly routes = new Map<string, ExternalInboundRoute>();

  constructor(
    private readonly codec: MessageCodec,
    private readonly identity: IdentityDirectory,
    private readonly replay: ReplayGuard,
    private readonly actors: ActorSystem,
    private readonly audit: AuditLog,
    private readonly inspection: InspectionLog,
    private readonly sp: Recipient & { readonly signer: Signer },
  ) {}

  addRoutes(...routes: readonly ExternalInboundRoute[]): void {
    for (const route of routes) this.routes.set(route.messageType, route);
  }

  async handle(frame: Uint8Array): Promise<Uint8Array> {
    let verified: VerifiedMessage | undefined;
    try {
      verified = await this.codec.receive(frame, this.sp, this.identity, this.replay);
      const { message } = verified;
      const kind = parseId(message.from)?.kind;
      if (kind !== 'iss' && kind !== 'tps') throw new ProtocolError('sender-mismatch', `${message.from} is not an external party`, { type: message.type });
      const route = this.routes.get(message.type);
      if (route === undefined) throw new ProtocolError('unknown-type', `${message.type} is not accepted from external parties`, { type: message.type });
      const routed = await route.route(verified);
      if (typeof routed === 'string') throw new ProtocolError('refused', routed, { type: message.type });
      const trace = [{ processGroup: routed.processGroup, actorId: routed.actorId, kind: 'message-in' as const, type: message.type, detail: messageDetail(verified, 'external') }];
      await refuseIfEnded(this.actors.send(routed.actorId, routed.event, { trace }, { kind: routed.kind, input: routed.input }), message.type);
      return await this.receipt(verified, { accepted: true, processGroup: routed.processGroup, reason: null });
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      await this.refuse(error, verified);
      throw error;
    }
  }

  private async receipt(verified: VerifiedMessage, fields: { accepted: boolean; processGroup: string | null; reason: string | null }): Promise<Uint8Array> {
    const to = verified.message.from;
    const sealingKey = await this.identity.sealingKey(to);
    if (sealingKey === undefined) throw new ProtocolError('unknown-principal', `no sealing key for ${to}`);
    const header = { from: this.sp.id, to: to as PrincipalId, re: verified.message.id, fields, ...(fields.processGroup === null ? {} : { pg: fields.processGroup }) };
    return this.codec.compose(externalReceipt, header, [this.sp.signer], sealingKey).bytes;
  }

  private async refuse(error: ProtocolError, verified: VerifiedMessage | undefined): Promise<void> {
    const principal = verified?.message.from ?? null;
    await this.audit.record({ category: 'refusal', reason: error.reason, principal, transport: 'external', message: error.message, detail: { ...error.details } });
    await this.inspection.record([
      {
        processGroup: verified?.message.pg ?? 'refusals:external',
        actorId: 'gateway:external',
        kind: 'refusal',
        type: verified?.message.type ?? String(error.details['type'] ?? 'unknown'),
        detail: { reason: error.reason, message: error.message, transport: 'external' },
      },
    ]);
  }
}
