/** What the MQTT transport reports. A structural type, so Nest's Logger or pino can be adapted in one line. */
export interface TransportLogger {
  debug(message: string, details?: Readonly<Record<string, unknown>>): void;
  warn(message: string, details?: Readonly<Record<string, unknown>>): void;
  error(message: string, details?: Readonly<Record<string, unknown>>): void;
}

/** The default: the transport is quiet unless a logger is given. */
export const silentLogger: TransportLogger = {
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
