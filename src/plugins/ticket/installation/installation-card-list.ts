import type { DataSource, EntityManager } from 'typeorm';
import { transaction } from '../../../persistence/write-lock.js';
import { InstallationCardListEntity } from './installation-card-list.entity.js';

/** An issuer registers the prefix of the installation card numbers it issues (operator step, before it sells cards). */
export async function registerInstallationCardPrefix(dataSource: DataSource, issuerId: string, cardPrefix: string, now: number): Promise<void> {
  if (!/^[A-Z0-9][A-Z0-9-]{1,39}$/.test(cardPrefix)) throw new RangeError(`'${cardPrefix}' is not an installation card prefix`);
  await transaction(dataSource, (em) => em.getRepository(InstallationCardListEntity).save({ cardPrefix, issuerId, addedAt: now }));
}

/** [1700]: the issuer of an installation card, by the longest registered prefix of its number; null when none. */
export async function issuerOfInstallationCard(em: EntityManager, cardNumber: string): Promise<string | null> {
  const rows = await em.getRepository(InstallationCardListEntity).find();
  const matching = rows.filter((row) => cardNumber.startsWith(row.cardPrefix)).sort((a, b) => b.cardPrefix.length - a.cardPrefix.length);
  return matching[0]?.issuerId ?? null;
}
