/**
 * Typed identifiers. Every party, device, object and process in Tessera has one, made and parsed here only.
 * They appear in logs, MQTT topics, inspection traces and the HTTP API.
 *
 *   sp:<name>                 the service providing system
 *   usr:<name>                a user (owner of one mobile user terminal)
 *   mer:<name>                a merchant
 *   csp:<name>                a communication service provider
 *   iss:<service>:<name>      an issuer (ticket, payment-card, phone-card)
 *   tps:<name>                the transaction processing system
 *   dev:<kind>:<name>         a device (mobile, gate, merchant, vending, phone-accounting)
 *   txn:<process>:<name>      a process group (one request and everything it causes)
 */
export const DEVICE_KINDS = ['mobile', 'gate', 'merchant', 'vending', 'phone-accounting'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const ISSUER_SERVICES = ['ticket', 'payment-card', 'phone-card'] as const;
export type IssuerService = (typeof ISSUER_SERVICES)[number];

export type SpId = `sp:${string}`;
export type UserId = `usr:${string}`;
export type MerchantId = `mer:${string}`;
export type CspId = `csp:${string}`;
export type IssuerId = `iss:${IssuerService}:${string}`;
export type TpsId = `tps:${string}`;
export type DeviceId = `dev:${DeviceKind}:${string}`;
export type ProcessGroupId = `txn:${string}:${string}`;
export type PartyId = SpId | UserId | MerchantId | CspId | IssuerId | TpsId;
/** Anything that can sign or receive a message. */
export type PrincipalId = PartyId | DeviceId;

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function isValidName(name: string): boolean {
  return NAME.test(name);
}

function requireName(name: string): string {
  if (!NAME.test(name)) throw new TypeError(`invalid identifier name '${name}'`);
  return name;
}

export const ids = {
  sp: (name: string): SpId => `sp:${requireName(name)}`,
  user: (name: string): UserId => `usr:${requireName(name)}`,
  merchant: (name: string): MerchantId => `mer:${requireName(name)}`,
  csp: (name: string): CspId => `csp:${requireName(name)}`,
  issuer: (service: IssuerService, name: string): IssuerId => `iss:${service}:${requireName(name)}`,
  tps: (name: string): TpsId => `tps:${requireName(name)}`,
  device: (kind: DeviceKind, name: string): DeviceId => `dev:${kind}:${requireName(name)}`,
  processGroup: (process: string, name: string): ProcessGroupId => `txn:${requireName(process)}:${requireName(name)}`,
};

export type ParsedId =
  | { kind: 'sp' | 'usr' | 'mer' | 'csp' | 'tps'; name: string }
  | { kind: 'iss'; service: IssuerService; name: string }
  | { kind: 'dev'; deviceKind: DeviceKind; name: string }
  | { kind: 'txn'; process: string; name: string };

/** Parses any typed identifier; returns undefined for anything that is not one. */
export function parseId(value: string): ParsedId | undefined {
  const parts = value.split(':');
  const [prefix, a, b] = parts;
  if (parts.length === 2 && a !== undefined && isValidName(a)) {
    if (prefix === 'sp' || prefix === 'usr' || prefix === 'mer' || prefix === 'csp' || prefix === 'tps') return { kind: prefix, name: a };
    return undefined;
  }
  if (parts.length !== 3 || a === undefined || b === undefined || !isValidName(b)) return undefined;
  if (prefix === 'iss' && (ISSUER_SERVICES as readonly string[]).includes(a)) return { kind: 'iss', service: a as IssuerService, name: b };
  if (prefix === 'dev' && (DEVICE_KINDS as readonly string[]).includes(a)) return { kind: 'dev', deviceKind: a as DeviceKind, name: b };
  if (prefix === 'txn' && isValidName(a)) return { kind: 'txn', process: a, name: b };
  return undefined;
}

export function isDeviceId(value: string): value is DeviceId {
  return parseId(value)?.kind === 'dev';
}

export function isPrincipalId(value: string): value is PrincipalId {
  const parsed = parseId(value);
  return parsed !== undefined && parsed.kind !== 'txn';
}

export function deviceKindOf(id: DeviceId): DeviceKind {
  return id.split(':')[1] as DeviceKind;
}
