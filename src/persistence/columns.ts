import type { ValueTransformer } from 'typeorm';

/** PostgreSQL returns bigint as a string; milliseconds and minor units fit a JS number safely. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** JSON kept as text, portable between SQLite and PostgreSQL. */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? null : JSON.stringify(value)),
  from: (value: string | null) => (value === null ? null : (JSON.parse(value) as unknown)),
};
