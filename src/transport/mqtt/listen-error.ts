/**
 * Why the embedded broker could not listen, as one line an operator can act on: it names the setting to change.
 * (A taken port is the usual case: a local Mosquitto holds 1883, or a second Tessera runs.)
 */
export class BrokerListenError extends Error {
  override readonly name = 'BrokerListenError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ALTERNATIVE = 'or point mqtt.url at an external broker';

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function describeListenError(host: string, port: number, error: unknown): BrokerListenError {
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'UNKNOWN';
  const where = hostPort(host, port);
  switch (code) {
    case 'EADDRINUSE':
      return new BrokerListenError(code, `mqtt.embedded.port: ${where} is already in use (EADDRINUSE); set TESSERA_MQTT_PORT or mqtt.embedded.port to a free port, ${ALTERNATIVE}`);
    case 'EACCES':
      return new BrokerListenError(code, `mqtt.embedded.port: ${where} needs privileges to bind (EACCES); set TESSERA_MQTT_PORT or mqtt.embedded.port to a port above 1023, ${ALTERNATIVE}`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new BrokerListenError(code, `mqtt.embedded.host: ${host} is not an address of this machine (${code}); set mqtt.embedded.host to a local address such as 127.0.0.1, ${ALTERNATIVE}`);
    default: {
      const detail = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
      return new BrokerListenError(code, `mqtt.embedded: cannot listen on ${where} (${detail}); check mqtt.embedded.host and mqtt.embedded.port, ${ALTERNATIVE}`);
    }
  }
}
