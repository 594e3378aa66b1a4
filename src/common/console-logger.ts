import type { PlatformLogger } from '../core/audit-log.js';

const ORDER = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof ORDER)[number];

/** One line per entry on stderr, timestamped; private keys and message bodies are never passed to it. */
export function consoleLogger(level: LogLevel): PlatformLogger {
  const enabled = (wanted: LogLevel) => ORDER.indexOf(wanted) <= ORDER.indexOf(level);
  const line = (tag: string, message: string) => process.stderr.write(`${new Date().toISOString()} ${tag} ${message}\n`);
  return {
    log: (message) => enabled('log') && line('INFO', message),
    warn: (message) => enabled('warn') && line('WARN', message),
    error: (message) => enabled('error') && line('ERROR', message),
  };
}
