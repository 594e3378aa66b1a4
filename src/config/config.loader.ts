import { existsSync, readFileSync } from 'node:fs';
import { configSchema, type TesseraConfig } from './config.schema.js';
import { defaults } from '../../config/defaults.js';

/** A configuration value that cannot be used. Its message is one line that names the key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`config error: ${key}: ${reason}`);
  }
}

/** Environment variables with a short name; any key can also be set as TESSERA__SECTION__KEY (JSON values allowed). */
export const ENV_ALIASES: Readonly<Record<string, string>> = {
  DATABASE_URL: 'database.url',
  TESSERA_DATA_DIR: 'dataDir',
  TESSERA_HTTP_HOST: 'http.host',
  TESSERA_HTTP_PORT: 'http.port',
  TESSERA_MQTT_URL: 'mqtt.url',
  TESSERA_MQTT_USERNAME: 'mqtt.username',
  TESSERA_MQTT_PASSWORD: 'mqtt.password',
  TESSERA_MQTT_HOST: 'mqtt.embedded.host',
  TESSERA_MQTT_PORT: 'mqtt.embedded.port',
  TESSERA_CRYPTO_BACKEND: 'protocol.cryptoBackend',
  TESSERA_LOG_LEVEL: 'log.level',
  TESSERA_INSPECTION_TOKEN: 'inspection.token',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: Record<string, Json>, override: Record<string, Json>, prefix: string): Record<string, Json> {
  const result: Record<string, Json> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const current = result[key];
    if (current === undefined) throw new ConfigError(path, 'unknown key');
    result[key] = isObject(current) && isObject(value) ? merge(current, value, path) : value;
  }
  return result;
}

/** Environment variable names are upper case: match keys case-insensitively. */
function matchKeys(target: Record<string, Json>, path: string): string[] {
  const keys: string[] = [];
  let node: Json = target;
  for (const wanted of path.split('.')) {
    const key: string = isObject(node) ? (Object.keys(node).find((candidate) => candidate.toLowerCase() === wanted.toLowerCase()) ?? wanted) : wanted;
    keys.push(key);
    node = isObject(node) ? (node[key] ?? null) : null;
  }
  return keys;
}

function setPath(target: Record<string, Json>, path: string, raw: string): void {
  const keys = matchKeys(target, path);
  let node: Record<string, Json> = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!isObject(next)) throw new ConfigError(path, 'unknown key');
    node = next;
  }
  const last = keys[keys.length - 1] as string;
  const current = node[last];
  if (current === undefined) throw new ConfigError(path, 'unknown key');
  node[last] = typeof current === 'string' || (current === null && !/^(null|true|false|-?\d+(\.\d+)?|\{.*\}|\[.*\])$/.test(raw)) ? raw : parseJson(path, raw);
}

function parseJson(path: string, raw: string): Json {
  try {
    return JSON.parse(raw) as Json;
  } catch {
    throw new ConfigError(path, `'${raw}' is not a valid value`);
  }
}

function readFile(file: string): Record<string, Json> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError('TESSERA_CONFIG', `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(parsed)) throw new ConfigError('TESSERA_CONFIG', `${file} must hold a JSON object`);
  return parsed;
}

export interface ConfigSources {
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides given in code (tests), applied last. */
  readonly overrides?: Record<string, Json>;
}

/**
 * Defaults (config/defaults.ts) < the file named by TESSERA_CONFIG (or config/local.json when present)
 * < environment variables < overrides. Validated; a wrong value throws ConfigError naming the key.
 */
export function loadConfig(sources: ConfigSources = {}): TesseraConfig {
  const env = sources.env ?? process.env;
  let config = structuredClone(defaults) as Record<string, Json>;
  const file = env['TESSERA_CONFIG'] ?? (existsSync('config/local.json') ? 'config/local.json' : undefined);
  if (file !== undefined) config = merge(config, readFile(file), '');
  for (const [name, path] of Object.entries(ENV_ALIASES)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(config, path, value);
  }
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('TESSERA__') && value !== undefined) setPath(config, name.slice('TESSERA__'.length).toLowerCase().split('__').join('.'), value);
  }
  if (sources.overrides !== undefined) config = merge(config, sources.overrides, '');
  const result = configSchema.safeParse(config);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(issue?.path.join('.') ?? '(root)', issue?.message ?? 'invalid');
  }
  return result.data;
}
