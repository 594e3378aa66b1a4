import type { DataSource } from 'typeorm';
import { UserListEntity } from '../persistence/entities/index.js';
import { Enrolment } from './enrolment.js';
import type { Platform } from './platform.js';

export const DEMO_WELCOME_ADDRESS = (spId: string) => `${spId}/welcome.txt`;

/**
 * On first start (no users yet): a user with a mobile user terminal, a merchant with a gate terminal, a merchant
 * terminal and a vending machine, a communication service provider with a telephone-card accounting machine, and one
 * document at a remote address. Device credentials go to `dataDir/devices/`.
 */
export async function seedDemoWorld(platform: Platform, dataSource: DataSource): Promise<string[]> {
  if ((await dataSource.getRepository(UserListEntity).count()) > 0) return [];
  const enrol = new Enrolment(platform);
  const metro = await enrol.merchant('metro');
  const telco = await enrol.merchant('telco', 'csp');
  const credentials = [
    await enrol.user('alice'),
    await enrol.merchantDevice(metro, 'gate', 'metro-gate-1'),
    await enrol.merchantDevice(metro, 'merchant', 'metro-till-1'),
    await enrol.merchantDevice(metro, 'vending', 'metro-vend-1'),
    await enrol.merchantDevice(telco, 'phone-accounting', 'telco-switch-1'),
  ];
  await platform.remoteData.put(DEMO_WELCOME_ADDRESS(platform.spId), 'text/plain', new TextEncoder().encode('Welcome to Tessera.\n'));
  return credentials.map((credential) => enrol.writeCredentials(credential));
}
