import { LessThan, type DataSource } from 'typeorm';
import type { Clock } from '../common/clock.js';
import { OutboxEntity } from '../persistence/entities/outbox.entity.js';
import type { IdentityDirectory } from '../identity/identity-directory.js';
import type { InspectionLog } from '../inspection/inspection-log.js';
import type { MessageCodec, Recipient, ReplayGuard } from '../protocol/codec.js';
import type { Envelope, Signer } from '../protocol/envelope.js';
import { isProtocolError } from '../protocol/errors.js';
import type { Message } from '../protocol/message.js';
import type { MessageRegistry } from '../protocol/message-registry.js';
import { ActorEndedError, type ActorSystem } from '../actors/actor-system.js';
import { decodeOutboxPayload } from '../actors/outbox-row.js';
import type { AuditLog, PlatformLogger } from './audit-log.js';
import { summariseFields } from './device-gateway.js';
import { writeBatcher } from '../persistence/write-batch.js';

/** Publishes a frame to one device (QoS 1); resolves when the broker has it. */
export type DownlinkPublisher = (deviceId: string, frame: Uint8Array) => Promise<void>;

/** Runs one named task; keyed so a second run after a crash returns the stored result (see TaskEffect). */
export type TaskHandler = (input: unknown, key: string) => Promise<unknown>;

/** Exchanges a frame with an external party (issuing system, transaction processing system); resolves with its reply. */
export interface ExternalExchange {
  exchange(party: string, frame: Uint8Array): Promise<Uint8Array>;
}

/**
 * Carries out what actors decided, after their transaction committed: messages to devices, exchanges with external
 * parties (the reply goes back to the asking actor and marks the row sent in the same transaction) and events to
 * other actors. Rows still pending after a crash are delivered again at start.
 */
export class OutboxDispatcher {
  private readonly inFlight = new Set<string>();
  private readonly tasks = new Map<string, TaskHandler>();
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly envelope: Envelope,
    private readonly registry: MessageRegistry,
    private readonly codec: MessageCodec,
    private readonly identity: IdentityDirectory,
    private readonly replay: ReplayGuard,
    private readonly actors: ActorSystem,
    private readonly inspection: InspectionLog,
    private readonly audit: AuditLog,
    private readonly sp: Recipient & { readonly signer: Signer },
    private readonly publishDown: DownlinkPublisher,
    private readonly external: ExternalExchange,
    private readonly clock: Clock,
    private readonly logger: PlatformLogger,
    /** Whether a device can take a downlink now; rows for a device that is away wait until it comes online. */
    private readonly deviceOnline: (deviceId: string) => boolean = () => true,
  ) {}

  registerTask(name: string, handler: TaskHandler): void {
    this.tasks.set(name, handler);
  }

  /**
   * Sends read-only answers at once, without an outbox row: a terminal that misses one asks again. A terminal that is
   * away does not get it.
   */
  sendNow(messages: readonly { readonly via: string; readonly message: Message }[]): void {
    for (const { via, message } of messages) {
      if (!this.deviceOnline(via)) continue;
      void this.frameFor(message)
        .then((frame) => this.publishDown(via, frame))
        .then(() => this.inspection.enqueue([{ processGroup: message.pg ?? message.id, actorId: `outbox:${via}`, kind: 'message-out', type: message.type, detail: outboundDetail(message, via) }]))
        .catch((error: unknown) => this.logger.warn(`${message.type} to ${via} not sent: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  dispatch(rows: readonly OutboxEntity[]): void {
    for (const row of rows) void this.deliver(row);
  }

  /** Delivers every pending row older than `olderThanMs` (all of them at start). */
  async redeliverPending(olderThanMs = 0): Promise<number> {
    const rows = await this.dataSource.getRepository(OutboxEntity).find({ where: { status: 'pending', createdAt: LessThan(this.clock.now() - olderThanMs + 1) }, order: { createdAt: 'ASC' }, take: 500 });
    const deliverable = rows.filter((row) => row.destinationKind !== 'device' || this.deviceOnline(row.destination));
    await Promise.all(deliverable.map((row) => this.deliver(row)));
    return deliverable.length;
  }

  /** Delivers what waited for a device that has just come online, oldest first. */
  async redeliverTo(deviceId: string): Promise<number> {
    const rows = await this.dataSource.getRepository(OutboxEntity).find({ where: { status: 'pending', destinationKind: 'device', destination: deviceId }, order: { createdAt: 'ASC' }, take: 500 });
    for (const row of rows) await this.deliver(row);
    return rows.length;
  }

  startRetrying(intervalMs: number): void {
    this.retryTimer = setInterval(() => void this.redeliverPending(intervalMs).catch((error: unknown) => this.logger.error(`outbox retry failed: ${String(error)}`)), intervalMs);
    this.retryTimer.unref();
  }

  stop(): void {
    if (this.retryTimer !== undefined) clearInterval(this.retryTimer);
  }

  async pendingCount(): Promise<number> {
    return this.dataSource.getRepository(OutboxEntity).countBy({ status: 'pending' });
  }

  private async deliver(row: OutboxEntity): Promise<void> {
    if (this.inFlight.has(row.messageId)) return;
    this.inFlight.add(row.messageId);
    try {
      await this.deliverOnce(row);
    } catch (error) {
      if (error instanceof ActorEndedError) await this.dropForEndedActor(row, error).catch((dropError: unknown) => this.logger.warn(`outbox ${row.messageId}: ${String(dropError)}`));
      else this.logger.warn(`outbox ${row.messageId}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.inFlight.delete(row.messageId);
    }
  }

  /**
   * An effect for an actor whose process has ended (an instruction reaching a director that completed, a reply after
   * it was abandoned) can change nothing: it is marked done and traced, not retried for ever.
   */
  private async dropForEndedActor(row: OutboxEntity, error: ActorEndedError): Promise<void> {
    const traceRows = this.inspection.rows([{ processGroup: row.processGroup, actorId: `outbox:${error.actorId}`, kind: 'refusal' as const, type: 'actor-ended', detail: { reason: error.message, messageId: row.messageId } }]);
    const { traceSeqs } = await writeBatcher(this.dataSource).write({ markSentIfPending: [{ messageId: row.messageId, at: this.clock.now() }], trace: traceRows });
    this.inspection.announce(this.inspection.stored(traceRows, traceSeqs));
    this.logger.warn(`outbox ${row.messageId}: ${error.message}; dropped`);
  }

  private async deliverOnce(row: OutboxEntity): Promise<void> {
    try {
      const payload = decodeOutboxPayload(row.payload);
      if (payload.kind === 'actor') {
        const { effect } = payload;
        await this.actors.send(effect.actorId, effect.event, { ackOutbox: [row.messageId] }, { kind: effect.kind, input: effect.input, processGroup: effect.event.pg ?? row.processGroup });
        return;
      }
      if (payload.kind === 'task') {
        const { effect } = payload;
        const handler = this.tasks.get(effect.task);
        if (handler === undefined) throw new Error(`no task '${effect.task}'`);
        const result = await handler(effect.input, effect.key);
        await this.actors.send(effect.replyTo, { type: 'task.completed', pg: effect.pg, task: effect.task, result }, { ackOutbox: [row.messageId] });
        return;
      }
      const frame = await this.frameFor(payload.message);
      const trace = { processGroup: row.processGroup, actorId: `outbox:${row.destination}`, kind: 'message-out' as const, type: payload.message.type, detail: outboundDetail(payload.message, row.destination) };
      if (row.destinationKind === 'device') {
        if (!this.deviceOnline(row.destination)) return;
        await this.publishDown(row.destination, frame);
        const traceRows = this.inspection.rows([trace]);
        // Deferred: until the mark rides with the next batch, a crash only means the device gets the message again.
        const { traceSeqs } = await writeBatcher(this.dataSource).defer({ markSentIfPending: [{ messageId: row.messageId, at: this.clock.now() }], trace: traceRows });
        this.inspection.announce(this.inspection.stored(traceRows, traceSeqs));
        return;
      }
      await this.inspection.record([trace]);
      const reply = await this.external.exchange(row.destination, frame);
      await this.acceptReply(row, payload.message, reply);
    } catch (error) {
      if (error instanceof ActorEndedError) throw error;
      this.logger.warn(`outbox ${row.messageId} to ${row.destination} not delivered yet: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async frameFor(message: Message): Promise<Uint8Array> {
    const signed = this.envelope.sign(message.type, message, [this.sp.signer]);
    if (this.registry.get(message.type)?.sealed === false) return signed;
    const key = await this.identity.sealingKey(message.to);
    if (key === undefined) throw new Error(`no sealing key for ${message.to}`);
    return this.envelope.seal(signed, message.to, key);
  }

  private async acceptReply(row: OutboxEntity, request: Message, frame: Uint8Array): Promise<void> {
    try {
      const verified = await this.codec.receive(frame, this.sp, this.identity, this.replay);
      const reply = verified.message;
      if (reply.from !== row.destination || reply.re !== request.id) {
        await this.audit.record({ category: 'refusal', reason: 'sender-mismatch', principal: reply.from, transport: row.destination, message: `reply ${reply.id} does not answer ${request.id} from ${row.destination}` });
        return;
      }
      const trace = [{ processGroup: row.processGroup, actorId: row.replyTo ?? row.destination, kind: 'message-in' as const, type: reply.type, detail: { id: reply.id, from: reply.from, to: reply.to, re: reply.re, signers: verified.signers, sealed: verified.sealed, verified: true, transport: 'external', fields: summariseFields(reply.fields) } }];
      const event = { type: 'external.reply', pg: row.processGroup, messageType: reply.type, from: reply.from, re: request.id, fields: reply.fields };
      if (row.replyTo === null) {
        await writeBatcher(this.dataSource).write({ markSent: [{ messageId: row.messageId, at: this.clock.now() }] });
        await this.inspection.record(trace);
        return;
      }
      await this.actors.send(row.replyTo, event, { ackOutbox: [row.messageId], trace });
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      await this.audit.record({ category: 'refusal', reason: error.reason, principal: row.destination, transport: 'external', message: error.message, detail: { ...error.details } });
    }
  }
}

function outboundDetail(message: Message, destination: string): Record<string, unknown> {
  return { id: message.id, from: message.from, to: message.to, issuedAt: message.issuedAt, re: message.re ?? null, signers: [message.from], sealed: true, verified: true, transport: destination, fields: summariseFields(message.fields) };
}
