import { z } from 'zod';
import { isDeviceId, isPrincipalId, type DeviceId, type PrincipalId, type UserId, type MerchantId } from '../protocol/ids.js';
import { bytes, defineMessage } from '../protocol/message.js';

const userId = z.custom<UserId>((value) => typeof value === 'string' && value.startsWith('usr:') && isPrincipalId(value), 'not a user ID');
const merchantId = z.custom<MerchantId | `csp:${string}`>((value) => typeof value === 'string' && /^(mer|csp):/.test(value) && isPrincipalId(value), 'not a merchant ID');
const deviceId = z.custom<DeviceId>((value) => typeof value === 'string' && isDeviceId(value), 'not a device ID');
const principalId = z.custom<PrincipalId>((value) => typeof value === 'string' && isPrincipalId(value), 'not a principal ID');

/** `<holder>/<path>`: the principal holding the data (the service provider itself, or an issuer) and a path. */
export const dataAddress = z.string().regex(/^[a-z]+(:[a-z0-9._-]+){1,2}\/[A-Za-z0-9._~/-]{1,200}$/, 'not a data address');

const remoteAccessData = z
  .object({
    dataAddress,
    found: z.boolean(),
    contentType: z.string().max(100),
    data: bytes(), // data that are requested 8509 / 8610
    serviceProviderId: principalId, // 8510 / 8611
  })
  .strict();

// 5600 [1474]: mobile user terminal -> user processor, signed by the user, closed and addressed to the service provider.
export const remoteAccessRequest = defineMessage({
  type: 'remoteAccessRequest',
  ref: '5600 [1474]',
  sealed: true,
  fields: z.object({ dataAddress, userId }).strict(), // data address 8501, user ID 8502
});

// 5601 [1476]: user processor -> mobile user terminal, signed by the service provider, closed and addressed to the user.
export const remoteAccessDataMessage = defineMessage({ type: 'remoteAccessData', ref: '5601 [1476]', sealed: true, fields: remoteAccessData });

// 5700 [1480]: gate terminal, merchant terminal or accounting machine -> merchant processor, signed by the device
// (its key is certified by the service provider as the merchant's), closed and addressed to the service provider.
export const merchantRemoteAccessRequest = defineMessage({
  type: 'merchantRemoteAccessRequest',
  ref: '5700 [1480]',
  sealed: true,
  fields: z.object({ dataAddress, terminalId: deviceId, merchantId }).strict(), // data address 8601, gate/accounting machine ID 8602, merchant ID 8603
});

// 5701 [1482]: merchant processor -> the requesting device (DESIGN: "addressed to the merchant" means that device).
export const merchantRemoteAccessDataMessage = defineMessage({ type: 'merchantRemoteAccessData', ref: '5701 [1482]', sealed: true, fields: remoteAccessData });

// Tessera extension, not in the spec: when the data address names another party, a service director fetches it.
export const remoteDataRequest = defineMessage({
  type: 'remoteDataRequest',
  ref: 'Tessera (remote address held by another party)',
  sealed: true,
  fields: z.object({ dataAddress }).strict(),
});

export const remoteDataResponse = defineMessage({
  type: 'remoteDataResponse',
  ref: 'Tessera (remote address held by another party)',
  sealed: true,
  fields: z.object({ dataAddress, found: z.boolean(), contentType: z.string().max(100), data: bytes() }).strict(),
});

export const REMOTE_ACCESS_MESSAGES = [
  remoteAccessRequest,
  remoteAccessDataMessage,
  merchantRemoteAccessRequest,
  merchantRemoteAccessDataMessage,
  remoteDataRequest,
  remoteDataResponse,
];

/** Splits a data address into its holder and path. */
export function parseDataAddress(address: string): { holder: string; path: string } {
  const slash = address.indexOf('/');
  return { holder: address.slice(0, slash), path: address.slice(slash + 1) };
}
