import type { AnyStateMachine } from 'xstate';
import { InvariantError } from '../protocol/errors.js';

/** A machine kind the actor system can create and restore. */
export interface MachineEntry {
  /** Actor kind, e.g. 'user-processor' or 'director:remote-access'. */
  readonly kind: string;
  /** Bumped when a change makes old snapshots unreadable; the version is stored with each snapshot. */
  readonly version: number;
  readonly machine: AnyStateMachine;
  /** Who hosts it: the service providing system or a device. */
  readonly side: 'sp' | 'device';
  readonly description: string;
}

/** Every machine of the platform and its plugins: the inspector draws from here. */
export class MachineCatalog {
  private readonly entries = new Map<string, MachineEntry>();

  register(...entries: readonly MachineEntry[]): this {
    for (const entry of entries) {
      if (this.entries.has(entry.kind)) throw new InvariantError(`machine kind '${entry.kind}' registered twice`);
      this.entries.set(entry.kind, entry);
    }
    return this;
  }

  get(kind: string): MachineEntry {
    const entry = this.entries.get(kind);
    if (entry === undefined) throw new InvariantError(`no machine kind '${kind}'`);
    return entry;
  }

  has(kind: string): boolean {
    return this.entries.has(kind);
  }

  all(): readonly MachineEntry[] {
    return [...this.entries.values()];
  }
}
