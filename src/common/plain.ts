/** Removes `undefined` members deeply, so a value encodes the same in CBOR and JSON. Bytes are kept as they are. */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => withoutUndefined(item)) as T;
  if (value instanceof Uint8Array || typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) result[key] = withoutUndefined(member);
  return result as T;
}
