import type { StoredInspectionRecord } from '../inspection-log.js';
import { GATEWAY_LIFELINE, lifelineOf, SP_LIFELINE, type Lifeline } from './lifelines.js';

interface StepBase {
  /** Position in the diagram, from 0. */
  readonly index: number;
  /** The trace row it comes from (an inferred hop shares the row of the transition it explains). */
  readonly seq: number;
  readonly at: number;
  readonly type: string;
}

/** A message between two parties, as the trace recorded it in or out. */
export interface MessageStep extends StepBase {
  readonly kind: 'message';
  readonly direction: 'in' | 'out';
  readonly from: string;
  readonly to: string;
  readonly messageId: string | null;
  readonly sender: string | null;
  readonly addressee: string | null;
  readonly signers: readonly string[];
  readonly sealed: boolean;
  readonly verified: boolean;
  readonly re: string | null;
  readonly transport: string | null;
  readonly fields: unknown;
}

/** A message the boundary refused: drawn red, it changed nothing. */
export interface RefusalStep extends StepBase {
  readonly kind: 'refusal';
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly message: string;
  readonly transport: string | null;
}

/** An event one processor of the service providing system passed to another (inferred, see `sequenceOf`). */
export interface HopStep extends StepBase {
  readonly kind: 'hop';
  readonly from: string;
  readonly to: string;
}

/** A transition of the actor behind a lifeline, drawn as a note on it. */
export interface NoteStep extends StepBase {
  readonly kind: 'note';
  readonly lifeline: string;
  readonly machineKind: string | null;
  readonly fromState: string | null;
  readonly toState: string | null;
}

export type SequenceStep = MessageStep | RefusalStep | HopStep | NoteStep;

/** One process group drawn as the spec draws its processes: lifelines left to right, then the steps in order. */
export interface SequenceDiagram {
  readonly processGroup: string;
  readonly lifelines: readonly Lifeline[];
  readonly steps: readonly SequenceStep[];
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

class SequenceBuilder {
  private readonly lifelines = new Map<string, Lifeline>();
  private readonly steps: SequenceStep[] = [];
  /** The SP-side lifeline of the last step: the actor that most recently acted in this process group. */
  private cursor: Lifeline | undefined;
  private previous: StoredInspectionRecord | undefined;

  constructor(private readonly processGroup: string) {}

  private use(lifeline: Lifeline): string {
    if (!this.lifelines.has(lifeline.key)) this.lifelines.set(lifeline.key, lifeline);
    return lifeline.key;
  }

  private base(record: StoredInspectionRecord): StepBase {
    return { index: this.steps.length, seq: record.seq, at: record.at, type: record.type };
  }

  add(record: StoredInspectionRecord): void {
    if (record.kind === 'transition') this.transition(record);
    else if (record.kind === 'refusal') this.refusal(record);
    else this.message(record);
    this.previous = record;
  }

  private message(record: StoredInspectionRecord): void {
    const detail = record.detail;
    const transport = text(detail['transport']);
    const sender = text(detail['from']);
    const inbound = record.kind === 'message-in';
    let from: Lifeline;
    let to: Lifeline;
    if (inbound) {
      // A device's message is drawn from the device it came through (a user signs, the terminal carries it).
      from = lifelineOf(transport !== null && transport.startsWith('dev:') ? transport : (sender ?? 'unknown'));
      to = lifelineOf(record.actorId);
      this.cursor = to;
    } else {
      // The trace names the destination, not the actor that emitted the message: that is the last SP actor to act.
      from = this.cursor ?? SP_LIFELINE;
      to = lifelineOf(record.actorId);
    }
    this.steps.push({
      ...this.base(record),
      kind: 'message',
      direction: inbound ? 'in' : 'out',
      from: this.use(from),
      to: this.use(to),
      messageId: text(detail['id']),
      sender,
      addressee: text(detail['to']),
      signers: texts(detail['signers']),
      sealed: detail['sealed'] === true,
      verified: detail['verified'] === true,
      re: text(detail['re']),
      transport,
      fields: detail['fields'] ?? null,
    });
  }

  private refusal(record: StoredInspectionRecord): void {
    const transport = text(record.detail['transport']);
    const from = lifelineOf(transport ?? record.actorId.replace(/^gateway:/, ''));
    this.steps.push({
      ...this.base(record),
      kind: 'refusal',
      from: this.use(from),
      to: this.use(GATEWAY_LIFELINE),
      reason: text(record.detail['reason']) ?? 'refused',
      message: text(record.detail['message']) ?? '',
      transport,
    });
  }

  /**
   * A transition is a note on its actor's lifeline. When the actor did not just receive a message, the event came from
   * another actor of the service providing system (an effect), and that one is the last SP actor that acted: the
   * hop is drawn first, dashed, as the spec draws a processor passing work to the next.
   */
  private transition(record: StoredInspectionRecord): void {
    const lifeline = lifelineOf(record.actorId);
    const justReceived = this.previous !== undefined && this.previous.kind === 'message-in' && this.previous.actorId === record.actorId;
    if (!justReceived && this.cursor !== undefined && this.cursor.key !== lifeline.key) {
      this.steps.push({ ...this.base(record), kind: 'hop', from: this.use(this.cursor), to: this.use(lifeline) });
    }
    this.steps.push({
      ...this.base(record),
      kind: 'note',
      lifeline: this.use(lifeline),
      machineKind: text(record.detail['kind']),
      fromState: text(record.detail['from']),
      toState: text(record.detail['to']),
    });
    this.cursor = lifeline;
  }

  build(): SequenceDiagram {
    const order = [...this.lifelines.values()];
    const firstSeen = new Map(order.map((lifeline, index) => [lifeline.key, index]));
    order.sort((a, b) => a.rank - b.rank || (firstSeen.get(a.key) ?? 0) - (firstSeen.get(b.key) ?? 0));
    return { processGroup: this.processGroup, lifelines: order, steps: this.steps };
  }
}

/** Maps a process group's trace, in order, to a sequence diagram in the spec's terms. */
export function sequenceOf(processGroup: string, records: readonly StoredInspectionRecord[]): SequenceDiagram {
  const builder = new SequenceBuilder(processGroup);
  for (const record of [...records].sort((a, b) => a.seq - b.seq)) builder.add(record);
  return builder.build();
}
