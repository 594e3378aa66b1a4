import { readFileSync } from 'node:fs';
import { decodeIdentity, encodeIdentity, type StoredIdentity } from '../identity/key-file.js';
import { fromBase64, toBase64 } from '../common/bytes.js';

/**
 * Everything a device needs to attach: its own keys (MQTT CONNECT), the keys of the principal it signs for (the user,
 * for a mobile user terminal; the device itself otherwise), the service provider's public keys, and the broker URL.
 */
export interface DeviceCredentials {
  readonly deviceId: string;
  readonly device: StoredIdentity;
  readonly principal: StoredIdentity;
  readonly merchantId: string | null;
  readonly sp: { readonly id: string; readonly signingPublicKey: Uint8Array; readonly sealingPublicKey: Uint8Array };
  readonly mqttUrl: string;
  /**
   * The principal's SP-signed public key certificate (signed frame), for a mobile user terminal: the user public key
   * certificate it shows another user's terminal ([1672], [1676]). Absent in credentials written before it was added.
   */
  readonly principalCertificate?: Uint8Array;
}

type Json = ReturnType<typeof encodeIdentity>;

export function credentialsToJson(credentials: DeviceCredentials): Record<string, unknown> {
  return {
    deviceId: credentials.deviceId,
    device: encodeIdentity(credentials.device),
    principal: encodeIdentity(credentials.principal),
    merchantId: credentials.merchantId,
    sp: { id: credentials.sp.id, signingPublicKey: toBase64(credentials.sp.signingPublicKey), sealingPublicKey: toBase64(credentials.sp.sealingPublicKey) },
    mqttUrl: credentials.mqttUrl,
    ...(credentials.principalCertificate === undefined ? {} : { principalCertificate: toBase64(credentials.principalCertificate) }),
  };
}

export function credentialsFromJson(json: {
  deviceId: string;
  device: Json;
  principal: Json;
  merchantId: string | null;
  sp: { id: string; signingPublicKey: string; sealingPublicKey: string };
  mqttUrl: string;
  principalCertificate?: string;
}): DeviceCredentials {
  return {
    deviceId: json.deviceId,
    device: decodeIdentity(json.device),
    principal: decodeIdentity(json.principal),
    merchantId: json.merchantId,
    sp: { id: json.sp.id, signingPublicKey: fromBase64(json.sp.signingPublicKey), sealingPublicKey: fromBase64(json.sp.sealingPublicKey) },
    mqttUrl: json.mqttUrl,
    ...(typeof json.principalCertificate === 'string' ? { principalCertificate: fromBase64(json.principalCertificate) } : {}),
  };
}

export function readCredentialsFile(path: string): DeviceCredentials {
  return credentialsFromJson(JSON.parse(readFileSync(path, 'utf8')) as Parameters<typeof credentialsFromJson>[0]);
}
