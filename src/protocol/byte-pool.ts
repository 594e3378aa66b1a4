/**
 * Copies of byte ranges for the CBOR reader and writer. A copy of more than 64 bytes as its own Uint8Array needs an
 * ArrayBuffer of its own outside V8's heap, ~0.5 µs here, several per message; cut from a shared slab, ~0.1 µs. As
 * with Node's Buffer pool, such a copy may share its `.buffer` with other copies (always use byteOffset/byteLength).
 */

const SLAB_BYTES = 16 * 1024;
/** V8 keeps typed arrays up to 64 bytes on its heap, where allocation is cheap already. */
const ON_HEAP_BYTES = 64;
const MAX_POOLED_BYTES = SLAB_BYTES / 4;

let slab = new ArrayBuffer(SLAB_BYTES);
let offset = 0;

/** A copy of `source[start, end)` as a plain Uint8Array. */
export function copyBytes(source: Uint8Array, start: number, end: number): Uint8Array {
  const length = end - start;
  if (length <= ON_HEAP_BYTES || length > MAX_POOLED_BYTES) return source.slice(start, end);
  if (offset + length > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    offset = 0;
  }
  const copy = new Uint8Array(slab, offset, length);
  copy.set(source.subarray(start, end));
  // Aligned, so that a copy never starts mid-word of the one before (cheaper copies, same as Node's pool).
  offset += (length + 7) & ~7;
  return copy;
}
