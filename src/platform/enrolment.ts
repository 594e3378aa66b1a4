import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64 } from '../common/bytes.js';
import { credentialsToJson, type DeviceCredentials } from '../devices/credentials.js';
import { generatePrincipalKeys } from '../protocol/crypto/crypto-backend.js';
import { ids, type DeviceKind, type MerchantId, type CspId } from '../protocol/ids.js';
import type { Platform } from './platform.js';

const publicKeys = (keys: ReturnType<typeof generatePrincipalKeys>) => ({ signingPublicKey: keys.signing.publicKey, sealingPublicKey: keys.sealing.publicKey });

/**
 * Enrols parties and devices: generates their key pairs, registers the public keys with SP-signed certificates,
 * and returns the credentials the device keeps (optionally written to `dataDir/devices/<name>.json`, mode 0600).
 * Real deployments generate device keys on the device and enrol only the public keys; this is for demos and tests.
 */
export class Enrolment {
  constructor(private readonly platform: Platform) {}

  async user(name: string, terminalName = `${name}-phone`): Promise<DeviceCredentials> {
    const userId = ids.user(name);
    const terminalId = ids.device('mobile', terminalName);
    const userKeys = generatePrincipalKeys(this.platform.crypto);
    const terminalKeys = generatePrincipalKeys(this.platform.crypto);
    await this.platform.identity.registerUser(userId, name, terminalId, publicKeys(userKeys), publicKeys(terminalKeys));
    const certificate = await this.platform.identity.certificateOf(userId);
    const credentials = this.credentials(terminalId, { id: terminalId, keys: terminalKeys }, { id: userId, keys: userKeys }, null);
    // The user public key certificate the terminal shows another user's terminal in a ticket transfer ([1672]).
    return certificate === null ? credentials : { ...credentials, principalCertificate: fromBase64(certificate.frame) };
  }

  async merchant(name: string, kind: 'merchant' | 'csp' = 'merchant'): Promise<MerchantId | CspId> {
    const id = kind === 'merchant' ? ids.merchant(name) : ids.csp(name);
    const keys = generatePrincipalKeys(this.platform.crypto);
    await this.platform.identity.registerParty(id, kind, name, publicKeys(keys));
    return id;
  }

  async merchantDevice(owner: MerchantId | CspId, kind: Exclude<DeviceKind, 'mobile'>, name: string): Promise<DeviceCredentials> {
    const deviceId = ids.device(kind, name);
    const keys = generatePrincipalKeys(this.platform.crypto);
    await this.platform.identity.registerDevice(deviceId, owner, publicKeys(keys));
    const identity = { id: deviceId, keys };
    return this.credentials(deviceId, identity, identity, owner);
  }

  writeCredentials(credentials: DeviceCredentials): string {
    const directory = join(this.platform.config.dataDir, 'devices');
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const path = join(directory, `${credentials.deviceId.split(':')[2] ?? 'device'}.json`);
    writeFileSync(path, JSON.stringify(credentialsToJson(credentials), null, 2), { mode: 0o600 });
    return path;
  }

  private credentials(deviceId: string, device: DeviceCredentials['device'], principal: DeviceCredentials['principal'], merchantId: string | null): DeviceCredentials {
    const sp = this.platform.identity.sp;
    return {
      deviceId,
      device,
      principal,
      merchantId,
      sp: { id: sp.id, signingPublicKey: sp.keys.signing.publicKey, sealingPublicKey: sp.keys.sealing.publicKey },
      mqttUrl: this.platform.mqttUrl,
    };
  }
}
