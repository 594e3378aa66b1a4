import { In, Like, type DataSource, type FindOptionsWhere } from 'typeorm';
import type { MachineCatalog } from '../../actors/machine-catalog.js';
import { ActorSnapshotEntity, type ActorStatus } from '../../persistence/entities/actor-snapshot.entity.js';
import { InspectionEventEntity } from '../../persistence/entities/inspection-event.entity.js';
import { parseId } from '../../protocol/ids.js';
import { activeStateIds, parseStateLabel, statechartOf, type ChartState } from './statechart-model.js';

/** One actor as the inspector lists it: where it is and which states of its chart are active. */
export interface ActorSummary {
  readonly actorId: string;
  readonly kind: string;
  readonly status: ActorStatus;
  readonly processGroup: string | null;
  readonly stateValue: string;
  readonly activeStates: readonly string[];
  readonly sequence: number;
  readonly updatedAt: number;
}

export interface ActorFilter {
  readonly kind?: string;
  readonly status?: ActorStatus;
  /** A process group ID, or its beginning. */
  readonly processGroup?: string;
  /** A device or user ID: actors of the process groups whose trace names it. */
  readonly party?: string;
  /** Text anywhere in the actor ID. */
  readonly text?: string;
  readonly limit: number;
}

/** One step of an actor's history: the transition and the states active after it. */
export interface HistoryStep {
  readonly seq: number;
  readonly at: number;
  readonly processGroup: string;
  readonly event: string;
  readonly fromState: string | null;
  readonly toState: string | null;
  readonly activeStates: readonly string[];
}

export interface ActorHistory {
  readonly actor: ActorSummary;
  /** The states active before the first step shown. */
  readonly initialStates: readonly string[];
  readonly steps: readonly HistoryStep[];
  /** True when older steps were left out (the history is bounded). */
  readonly truncated: boolean;
}

const STATUSES: readonly ActorStatus[] = ['active', 'done', 'error', 'stopped'];
/** Process groups a party filter may span: bounded, newest first. */
const PARTY_GROUPS_LIMIT = 1000;

export function isActorStatus(value: string): value is ActorStatus {
  return (STATUSES as readonly string[]).includes(value);
}

/** Identifiers never hold LIKE's wildcards or its escape: a filter that does is matched without them. */
const literal = (value: string): string => value.replace(/[\\%_]/g, '');

/** Reads actors and their histories for the inspector, with each state value resolved against the actor's chart. */
export class ActorDirectory {
  private readonly charts = new Map<string, ChartState>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: MachineCatalog,
  ) {}

  private chartOf(kind: string): ChartState | undefined {
    const cached = this.charts.get(kind);
    if (cached !== undefined) return cached;
    if (!this.catalog.has(kind)) return undefined;
    const root = statechartOf(this.catalog.get(kind)).root;
    this.charts.set(kind, root);
    return root;
  }

  /** The active state IDs of a stored state label for a machine kind ([] for an unknown kind). */
  activeStates(kind: string, label: string | null | undefined): string[] {
    const chart = this.chartOf(kind);
    const value = parseStateLabel(label);
    return chart === undefined || value === undefined ? [] : activeStateIds(chart, value);
  }

  summarise(row: Pick<ActorSnapshotEntity, 'actorId' | 'kind' | 'status' | 'processGroup' | 'stateValue' | 'sequence' | 'updatedAt'>): ActorSummary {
    return {
      actorId: row.actorId,
      kind: row.kind,
      status: row.status,
      processGroup: row.processGroup,
      stateValue: row.stateValue,
      activeStates: this.activeStates(row.kind, row.stateValue),
      sequence: row.sequence,
      updatedAt: row.updatedAt,
    };
  }

  async list(filter: ActorFilter): Promise<ActorSummary[]> {
    const where: FindOptionsWhere<ActorSnapshotEntity> = {};
    if (filter.kind !== undefined) where.kind = filter.kind;
    if (filter.status !== undefined) where.status = filter.status;
    if (filter.text !== undefined) where.actorId = Like(`%${literal(filter.text)}%`);
    if (filter.processGroup !== undefined) where.processGroup = Like(`${literal(filter.processGroup)}%`);
    if (filter.party !== undefined) {
      const groups = await this.groupsNaming(filter.party);
      if (groups.length === 0) return [];
      where.processGroup = In(filter.processGroup === undefined ? groups : groups.filter((group) => group.startsWith(filter.processGroup ?? '')));
    }
    const rows = await this.dataSource.getRepository(ActorSnapshotEntity).find({
      select: { actorId: true, kind: true, status: true, processGroup: true, stateValue: true, sequence: true, updatedAt: true },
      where,
      order: { updatedAt: 'DESC' },
      take: filter.limit,
    });
    return rows.map((row) => this.summarise(row));
  }

  /** Process groups whose trace names a device or user ID (as sender, addressee, signer or transport). */
  private async groupsNaming(party: string): Promise<string[]> {
    // A typed identifier holds no LIKE wildcards, so it is matched as it is, quoted as JSON holds it.
    if (parseId(party) === undefined) return [];
    const rows: { processGroup: string }[] = await this.dataSource
      .getRepository(InspectionEventEntity)
      .createQueryBuilder('e')
      .select('e.processGroup', 'processGroup')
      .where('e.detail LIKE :needle', { needle: `%"${party}"%` })
      .groupBy('e.processGroup')
      .orderBy('MAX(e.seq)', 'DESC')
      .limit(PARTY_GROUPS_LIMIT)
      .getRawMany();
    return rows.map((row) => row.processGroup);
  }

  async get(actorId: string): Promise<ActorSummary | undefined> {
    const row = await this.dataSource.getRepository(ActorSnapshotEntity).findOneBy({ actorId });
    return row === null ? undefined : this.summarise(row);
  }

  /** An actor's transitions, oldest first, the last `limit` of them: what time travel steps through. */
  async history(actorId: string, limit: number): Promise<ActorHistory | undefined> {
    const actor = await this.get(actorId);
    if (actor === undefined) return undefined;
    const newestFirst = await this.dataSource.getRepository(InspectionEventEntity).find({ where: { actorId, kind: 'transition' }, order: { seq: 'DESC' }, take: limit + 1 });
    const truncated = newestFirst.length > limit;
    const rows = newestFirst.slice(0, limit).reverse();
    const steps = rows.map((row): HistoryStep => {
      const detail = row.detail as Record<string, unknown>;
      const toState = typeof detail['to'] === 'string' ? detail['to'] : null;
      return { seq: row.seq, at: row.at, processGroup: row.processGroup, event: row.type, fromState: typeof detail['from'] === 'string' ? detail['from'] : null, toState, activeStates: this.activeStates(actor.kind, toState) };
    });
    const before = steps[0]?.fromState ?? null;
    return { actor, initialStates: before === null ? this.initialStates(actor.kind) : this.activeStates(actor.kind, before), steps, truncated };
  }

  /** The states a new actor of a kind starts in: the initial child at every level. */
  private initialStates(kind: string): string[] {
    const result: string[] = [];
    let cursor = this.chartOf(kind);
    for (let depth = 0; cursor !== undefined && depth < 32; depth++) {
      result.push(cursor.id);
      const initial = cursor.initial;
      cursor = initial === null ? undefined : cursor.states.find((state) => state.id === initial);
    }
    return result;
  }
}
