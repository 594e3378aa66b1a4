import { z } from 'zod';

/** A JSON value as terminal memory holds it (bytes travel as base64 strings). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export const jsonValue: z.ZodType<JsonValue> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]));

/** One entry of a memory area. `accessedAt` is the latest access/use/transaction time the SP evicts by ([1497], [1514]). */
export const dataItem = z.object({ value: jsonValue, accessedAt: z.number().int().nonnegative() }).strict();
export type DataItem = z.infer<typeof dataItem>;

/**
 * A record the terminal created and the service providing system has not yet taken in (an examination response, a
 * micro-check...). A service plugin verifies it at the next data update; the core only carries it.
 */
export const deviceRecord = z.object({ kind: z.string().min(1).max(64), id: z.string().min(1).max(128), payload: jsonValue }).strict();
export type DeviceRecord = z.infer<typeof deviceRecord>;

/**
 * The terminal's memory as the data updating process moves it: basic program area, service data area (written by the
 * service providing system only), user area (the user's or merchant's own data), and new records.
 */
export const terminalImage = z
  .object({
    basicProgram: z.object({ version: z.string().min(1).max(32) }).strict(),
    serviceData: z.record(z.string(), dataItem),
    userArea: z.record(z.string(), dataItem),
    records: z.array(deviceRecord),
  })
  .strict();
export type TerminalImage = z.infer<typeof terminalImage>;

/**
 * Update option codes ([1490], [1507]): which range the terminal uploads.
 * 1 changes to the service data area; 2 changes to the service data and user areas; 3 all of the service data area;
 * 4 all of the service data and user areas; 5 all data, the basic program area included.
 */
export const UPDATE_OPTION_CODES = [1, 2, 3, 4, 5] as const;
export type UpdateOptionCode = (typeof UPDATE_OPTION_CODES)[number];
export const updateOptionCode = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);

export const includesUserArea = (code: UpdateOptionCode): boolean => code === 2 || code === 4 || code === 5;
export const uploadsWholeServiceData = (code: UpdateOptionCode): boolean => code >= 3;
export const includesBasicProgram = (code: UpdateOptionCode): boolean => code === 5;

/**
 * What a terminal uploads for an option code. For the "changes" codes (1, 2) the service data area travels as the
 * access times that changed plus a digest of its values, which is enough to detect any alteration of a value or of
 * the list; the other codes carry the areas whole.
 */
export const uploadContent = z
  .object({
    optionCode: updateOptionCode,
    basicProgram: z.object({ version: z.string().min(1).max(32) }).strict(),
    /** SHA-256 (hex) of the canonical CBOR of the service data area's values, key by key. */
    serviceDataDigest: z.string().regex(/^[0-9a-f]{64}$/),
    serviceData: z.record(z.string(), dataItem).nullable(),
    accessTimes: z.record(z.string(), z.number().int().nonnegative()),
    userArea: z.record(z.string(), dataItem).nullable(),
    records: z.array(deviceRecord),
    batteryLevel: z.number().int().min(0).max(100),
  })
  .strict();
export type UploadContent = z.infer<typeof uploadContent>;

/** What the service providing system sends back: the areas to hold from now on and the next update time. */
export const updateContent = z
  .object({
    basicProgram: z.object({ version: z.string().min(1).max(32) }).strict(),
    serviceData: z.record(z.string(), dataItem),
    userArea: z.record(z.string(), dataItem).nullable(),
    /** IDs of uploaded records the SP has taken in: the terminal drops them. */
    acceptedRecords: z.array(z.string()),
    updateTimeRegister: z.number().int().nonnegative(),
  })
  .strict();
export type UpdateContent = z.infer<typeof updateContent>;

/**
 * The digest that stands for the service data area in a "changes" upload: SHA-256 over the canonical CBOR of
 * `{ key: value }` (access times excluded: they change legitimately on the terminal).
 */
export function serviceDataDigest(serviceData: Readonly<Record<string, DataItem>>, sha256: (data: Uint8Array) => Uint8Array, encode: (value: unknown) => Uint8Array): string {
  const values: Record<string, JsonValue> = {};
  for (const key of Object.keys(serviceData).sort()) values[key] = (serviceData[key] as DataItem).value;
  return Buffer.from(sha256(encode(values))).toString('hex');
}
