import { existsSync, readFileSync } from 'node:fs';
import { decodeStrict, encodeCanonical } from '../../protocol/cbor.js';
import { writeFileAtomically } from '../runtime/terminal-state-file.js';

/**
 * A terminal-side module's memory: one value, written whole (CBOR, so keys and other bytes stay bytes) to a file
 * renamed into place, so a crash leaves the old or the new state, never half. Without a file it lives in memory.
 */
export class ModuleStore<T> {
  private value: T;

  constructor(
    private readonly file: string | undefined,
    initial: () => T,
    parse: (raw: unknown) => T,
  ) {
    this.value = file !== undefined && existsSync(file) ? parse(decodeStrict(new Uint8Array(readFileSync(file)))) : initial();
  }

  get(): T {
    return this.value;
  }

  /** Replaces the state and saves it before returning. */
  set(next: T): void {
    this.value = next;
    if (this.file !== undefined) writeFileAtomically(this.file, encodeCanonical(next));
  }

  update(change: (current: T) => T): T {
    this.set(change(this.value));
    return this.value;
  }
}
