import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const nullableUrl = (protocols: readonly string[]) =>
  z
    .string()
    .refine((value) => protocols.some((protocol) => value.startsWith(`${protocol}://`)), `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`)
    .nullable();

/** Tessera's configuration. Defaults live in config/default.json; see src/config/config.loader.ts for overrides. */
export const configSchema = z
  .object({
    sp: z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/) }).strict(),
    /** Where the SQLite file, the SP's key file and demo device credentials live. */
    dataDir: z.string().min(1),
    http: z.object({ host: z.string().min(1), port }).strict(),
    mqtt: z
      .object({
        /** An external broker (mqtt://host:port). When null, Tessera runs its embedded broker. */
        url: nullableUrl(['mqtt', 'mqtts', 'tcp']),
        username: z.string().nullable(),
        password: z.string().nullable(),
        clientId: z.string().min(1),
        embedded: z
          .object({
            host: z.string().min(1),
            port,
            /** Clients that may only watch some devices' outputs: { "reader:turnstile-1": { "password": "...", "devices": ["dev:gate:metro-gate-1"] } }. */
            outputReaders: z.record(
              z.string().regex(/^reader:[a-z0-9][a-z0-9._-]{0,63}$/, 'an output reader is named reader:<name>'),
              z.object({ password: z.string().min(12, 'at least 12 characters'), devices: z.array(z.string().regex(/^dev:[a-z-]+:[a-z0-9][a-z0-9._-]{0,63}$/, 'not a device ID')).min(1) }).strict(),
            ),
          })
          .strict(),
      })
      .strict(),
    database: z
      .object({
        /** PostgreSQL (postgres://...). When null, SQLite in `dataDir/sqliteFile`. */
        url: nullableUrl(['postgres', 'postgresql']),
        sqliteFile: z.string().min(1),
      })
      .strict(),
    protocol: z
      .object({
        cryptoBackend: z.enum(['node', 'noble']),
        maxSkewMs: z.number().int().positive(),
        numberRetentionMs: z.number().int().positive(),
      })
      .strict(),
    actors: z.object({ idleEvictMs: z.number().int().positive() }).strict(),
    external: z
      .object({
        timeoutMs: z.number().int().positive(),
        tps: z.object({ name: z.string().min(1), url: nullableUrl(['tcp']), embeddedPort: port }).strict(),
        /** Where the SP listens for requests external parties start (a ticket issuer's modification request); 0 = any free port. */
        inbound: z.object({ host: z.string().min(1), port }).strict(),
        /** Where external parties (issuing systems) listen: { "iss:ticket:acme": { "host": "10.0.0.5", "port": 7100 } }. */
        parties: z.record(z.string().regex(/^(iss:(ticket|payment-card|phone-card)|tps):[a-z0-9][a-z0-9._-]{0,63}$/, 'not an external party ID'), z.object({ host: z.string().min(1), port }).strict()),
      })
      .strict(),
    plugins: z.object({ ticket: z.boolean(), 'payment-card': z.boolean(), 'phone-card': z.boolean() }).strict(),
    /** Network hierarchical storage [1484]-[1555]. */
    dataUpdate: z
      .object({
        /** Time between two scheduled data updates of a terminal: the update time register is set to now + this. */
        intervalMs: z.number().int().positive(),
        /** How long a session waits for the terminal's upload before it is abandoned (the terminal retries). */
        uploadTimeoutMs: z.number().int().positive(),
        /** A forcible update waits this long for a terminal that is offline: the instruction is delivered when it reconnects. */
        forcibleTimeoutMs: z.number().int().positive(),
        /** The basic program version terminals must run; a terminal behind it gets option code 5 and the upgrade. */
        programVersion: z.string().min(1).max(32),
        /** Every n-th scheduled update uploads whole areas (option 4) instead of changes (option 2). */
        fullUploadEvery: z.number().int().positive(),
        /** Service data items each terminal kind keeps in RAM; beyond it the latest accessed stay ([1497], [1514]). */
        capacity: z.object({ mobile: z.number().int().positive(), gate: z.number().int().positive(), merchant: z.number().int().positive(), vending: z.number().int().positive(), 'phone-accounting': z.number().int().positive() }).strict(),
      })
      .strict(),
    demo: z.object({ seed: z.boolean() }).strict(),
    /** The inspector web page and its API: an operator credential is required (a token printed at start when null). */
    inspection: z.object({ enabled: z.boolean(), token: z.string().min(16).nullable() }).strict(),
    log: z.object({ level: z.enum(['error', 'warn', 'log', 'debug', 'verbose']) }).strict(),
  })
  .strict();

export type TesseraConfig = z.infer<typeof configSchema>;
