import { deviceRecord, jsonValue, type DeviceRecord, type JsonValue } from '../../core/data-update/terminal-image.js';
import type { TerminalContext } from '../machines/terminal-context.js';
import type { Mutable } from '../runtime/terminal-state-file.js';

export type TamperArea = 'serviceData' | 'userArea';

/** One edit a hacked device makes to its own memory, behind its machine's back. */
export type TamperEdit =
  | { readonly op: 'set' | 'add'; readonly area: TamperArea; readonly key: string; readonly value: JsonValue }
  | { readonly op: 'delete'; readonly area: TamperArea; readonly key: string }
  | { readonly op: 'record'; readonly record: DeviceRecord };

/** A tamper option that does not parse, or an edit that does not fit the memory (set of a missing key...). */
export class TamperError extends Error {
  override readonly name = 'TamperError';
}

export interface TamperOptions {
  readonly set?: readonly string[];
  readonly add?: readonly string[];
  readonly delete?: readonly string[];
  readonly record?: readonly string[];
}

function splitOnce(text: string, separator: string, what: string): [string, string] {
  const at = text.indexOf(separator);
  if (at <= 0) throw new TamperError(`'${text}': expected ${what}`);
  return [text.slice(0, at), text.slice(at + separator.length)];
}

function parseJson(text: string, option: string): JsonValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TamperError(`${option}: '${text}' is not JSON (quote strings: '"U1"')`);
  }
  const value = jsonValue.safeParse(parsed);
  if (!value.success) throw new TamperError(`${option}: '${text}' is not a JSON value a memory area can hold`);
  return value.data;
}

function parseTarget(text: string): { area: TamperArea; key: string } {
  const [area, key] = splitOnce(text, '.', 'AREA.KEY');
  if (area !== 'serviceData' && area !== 'userArea') throw new TamperError(`'${area}' is not an area (serviceData or userArea)`);
  if (key === '') throw new TamperError(`'${text}': empty key`);
  return { area, key };
}

/** Parses `--tamper-set|add AREA.KEY=JSON`, `--tamper-delete AREA.KEY`, `--tamper-record KIND:ID=JSON`. */
export function parseTamperOptions(options: TamperOptions): TamperEdit[] {
  const valued = (op: 'set' | 'add') => (text: string): TamperEdit => {
    const [target, value] = splitOnce(text, '=', 'AREA.KEY=JSON');
    return { op, ...parseTarget(target), value: parseJson(value, `--tamper-${op}`) };
  };
  const record = (text: string): TamperEdit => {
    const [name, payload] = splitOnce(text, '=', 'KIND:ID=JSON');
    const [kind, id] = splitOnce(name, ':', 'KIND:ID');
    const parsed = deviceRecord.safeParse({ kind, id, payload: parseJson(payload, '--tamper-record') });
    if (!parsed.success) throw new TamperError(`--tamper-record '${text}': ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return { op: 'record', record: parsed.data };
  };
  return [
    ...(options.set ?? []).map(valued('set')),
    ...(options.add ?? []).map(valued('add')),
    ...(options.delete ?? []).map((text): TamperEdit => ({ op: 'delete', ...parseTarget(text) })),
    ...(options.record ?? []).map(record),
  ];
}

/** Applies the edits to a terminal's persisted context; `now` is the access time of added entries. */
export function applyTamper(context: Mutable<TerminalContext>, edits: readonly TamperEdit[], now: number): void {
  for (const edit of edits) {
    if (edit.op === 'record') {
      context.memory.records.push(structuredClone(edit.record) as Mutable<DeviceRecord>);
      continue;
    }
    const area = context.memory[edit.area];
    const held = area[edit.key];
    if (edit.op === 'add' && held !== undefined) throw new TamperError(`${edit.area}.${edit.key} exists: use --tamper-set`);
    if (edit.op !== 'add' && held === undefined) throw new TamperError(`${edit.area}.${edit.key} does not exist${edit.op === 'set' ? ': use --tamper-add' : ''}`);
    if (edit.op === 'delete') delete area[edit.key];
    else area[edit.key] = { value: structuredClone(edit.value) as Mutable<JsonValue>, accessedAt: held?.accessedAt ?? now };
  }
}
