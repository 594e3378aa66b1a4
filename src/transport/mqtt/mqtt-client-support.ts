/** Small conversions between mqtt.js and Tessera's byte and error types, shared by BrokerLink and DeviceLink. */

/** mqtt.js wants a Buffer; wrap without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A copy as a plain Uint8Array: the parser's Buffers may share a pooled slab with later packets. */
export function ownBytes(payload: Buffer | string): Uint8Array {
  return typeof payload === 'string' ? new TextEncoder().encode(payload) : new Uint8Array(payload);
}

/**
 * The CONNACK return code when mqtt.js reports a refused CONNECT ('Connection refused: ...', numeric code), else
 * undefined (socket errors carry string codes such as 'ECONNREFUSED').
 */
export function connackRefusalCode(error: Error): number | undefined {
  const code: unknown = 'code' in error ? error.code : undefined;
  return typeof code === 'number' && error.message.startsWith('Connection refused') ? code : undefined;
}

/**
 * Turns Nagle's algorithm off on the client's socket: QoS 1 request/response traffic otherwise stalls on delayed ACKs
 * (about 40 ms a round trip on loopback). mqtt.js has no option for it, so it is set on every (re)connect.
 */
export function disableNagle(stream: unknown): void {
  const socket = stream as { setNoDelay?: (noDelay: boolean) => void } | undefined;
  socket?.setNoDelay?.(true);
}
