import type { ValueTransformer } from 'typeorm';
import { InvariantError } from '../../../protocol/errors.js';

/** Reads an integer the database returned (PostgreSQL gives bigint and SUM() as strings); never rounds. */
export function toSafeInteger(value: unknown): number {
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw new InvariantError(`not a safe integer: ${String(value)}`);
  return number;
}

/** Minor units and milliseconds are bigint columns read back as exact JS numbers. */
export const bigintColumn: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : toSafeInteger(value)),
};
