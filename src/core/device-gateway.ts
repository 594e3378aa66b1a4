import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock.js';
import type { DeviceEntity } from '../persistence/entities/device.entity.js';
import type { IdentityDirectory } from '../identity/identity-directory.js';
import type { InspectionLog } from '../inspection/inspection-log.js';
import type { MessageCodec, Recipient, ReplayGuard, VerifiedMessage } from '../protocol/codec.js';
import { isProtocolError, ProtocolError } from '../protocol/errors.js';
import { isDeviceId } from '../protocol/ids.js';
import { ActorEndedError, type ActorSystem } from '../actors/actor-system.js';
import type { AuditLog } from './audit-log.js';
import type { InboundRoute } from './inbound-route.js';
import { writeBatcher } from '../persistence/write-batch.js';

/** The registry's last-seen time is kept to this resolution, so not every message costs a write. */
const LAST_SEEN_RESOLUTION_MS = 10_000;

export type UplinkOutcome = { readonly accepted: true; readonly messageType: string; readonly actorId: string } | { readonly accepted: false; readonly error: ProtocolError };

/**
 * Device traffic becomes domain events here and nowhere else. Order: device known and enabled -> the codec's
 * decode, schema, addressee, freshness, signature and replay checks -> sender bound to the device -> route -> actor.
 * A refusal is audited and traced; nothing reaches an actor.
 */
export class DeviceGateway {
  private readonly routes = new Map<string, InboundRoute>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly codec: MessageCodec,
    private readonly identity: IdentityDirectory,
    private readonly replay: ReplayGuard,
    private readonly actors: ActorSystem,
    private readonly audit: AuditLog,
    private readonly inspection: InspectionLog,
    private readonly sp: Recipient,
    private readonly clock: Clock,
  ) {}

  addRoutes(...routes: readonly InboundRoute[]): void {
    for (const route of routes) this.routes.set(route.messageType, route);
  }

  async handleUplink(transportDeviceId: string, bytes: Uint8Array): Promise<UplinkOutcome> {
    let verified: VerifiedMessage | undefined;
    try {
      const device = await this.enabledDevice(transportDeviceId);
      verified = await this.codec.receive(bytes, this.sp, this.identity, this.replay);
      await this.checkSenderBinding(verified, device);
      const route = this.routes.get(verified.message.type);
      if (route === undefined) throw new ProtocolError('unknown-type', `${verified.message.type} is not accepted from devices`, { type: verified.message.type });
      const routed = await route.route(verified, device);
      if (typeof routed === 'string') throw new ProtocolError('refused', routed, { type: verified.message.type });
      if (device.lastSeenAt === null || this.clock.now() - device.lastSeenAt > LAST_SEEN_RESOLUTION_MS) {
        device.lastSeenAt = this.clock.now();
        const seenAt = device.lastSeenAt;
        // Informational, so written with the next batch, off the message's way to its actor. A database that cannot
        // store it fails that batch's other units too, and those failures are reported where they are awaited.
        writeBatcher(this.dataSource)
          .defer({ lastSeen: [{ deviceId: device.id, at: seenAt }] })
          .catch(() => undefined);
      }
      const trace = [{ processGroup: routed.processGroup, actorId: routed.actorId, kind: 'message-in' as const, type: verified.message.type, detail: messageDetail(verified, transportDeviceId) }];
      await refuseIfEnded(this.actors.send(routed.actorId, routed.event, { trace }, { kind: routed.kind, input: routed.input }), verified.message.type);
      return { accepted: true, messageType: verified.message.type, actorId: routed.actorId };
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      await this.refuse(error, transportDeviceId, verified);
      return { accepted: false, error };
    }
  }

  private async enabledDevice(id: string): Promise<DeviceEntity> {
    if (!isDeviceId(id)) throw new ProtocolError('unknown-principal', `'${id}' is not a device ID`);
    const device = await this.identity.device(id);
    if (device === null) throw new ProtocolError('unknown-principal', `device ${id} is not registered`);
    if (device.status !== 'active') throw new ProtocolError('disabled', `device ${id} is ${device.status}`, { status: device.status });
    return device;
  }

  /** The message must come from the device's own principal: the device itself, or the user whose terminal it is. */
  private async checkSenderBinding(verified: VerifiedMessage, device: DeviceEntity): Promise<void> {
    const from = verified.message.from;
    if (from === device.id) return;
    if (device.kind === 'mobile') {
      const user = await this.identity.userOfTerminal(device.id as `dev:mobile:${string}`);
      if (user !== null && user.userId === from) {
        if (user.status !== 'active') throw new ProtocolError('disabled', `user ${from} is disabled`);
        return;
      }
    }
    throw new ProtocolError('sender-mismatch', `${from} sent through ${device.id}`, { from, device: device.id });
  }

  private async refuse(error: ProtocolError, transport: string, verified: VerifiedMessage | undefined): Promise<void> {
    const principal = verified?.message.from ?? null;
    await this.audit.record({ category: 'refusal', reason: error.reason, principal, transport, message: error.message, detail: { ...error.details } });
    await this.inspection.record([
      {
        processGroup: verified?.message.pg ?? `refusals:${transport}`,
        actorId: `gateway:${transport}`,
        kind: 'refusal',
        type: verified?.message.type ?? String(error.details['type'] ?? 'unknown'),
        detail: { reason: error.reason, message: error.message, transport },
      },
    ]);
  }
}

/** A message for a process that has just ended (a late packet of an abandoned session) is refused, never applied. */
export async function refuseIfEnded(step: Promise<void>, type: string): Promise<void> {
  try {
    await step;
  } catch (error) {
    if (error instanceof ActorEndedError) throw new ProtocolError('refused', `process ${error.actorId} has ended`, { type });
    throw error;
  }
}

/** What the inspection trace shows of a message: header, signers and fields (bytes summarised). */
export function messageDetail(verified: VerifiedMessage, transport: string): Record<string, unknown> {
  const { message } = verified;
  return {
    id: message.id,
    from: message.from,
    to: message.to,
    issuedAt: message.issuedAt,
    re: message.re ?? null,
    signers: verified.signers,
    sealed: verified.sealed,
    verified: true,
    transport,
    fields: summariseFields(message.fields),
  };
}

export function summariseFields(fields: unknown): unknown {
  if (fields instanceof Uint8Array) return { bytes: fields.length, base64: Buffer.from(fields).toString('base64').slice(0, 64) };
  if (Array.isArray(fields)) return fields.map(summariseFields);
  if (typeof fields === 'object' && fields !== null) return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, summariseFields(value)]));
  return fields;
}
