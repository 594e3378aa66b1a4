import type { DataSource, EntityManager } from 'typeorm';
import { toHex } from '../../../common/bytes.js';
import type { CryptoBackend } from '../../../protocol/crypto/crypto-backend.js';
import { transaction } from '../../../persistence/write-lock.js';
import { TicketCustomerEntity } from './ticket-customer.entity.js';
import { BoundedCache } from '../../../persistence/bounded-cache.js';
import { perDataSource } from '../../../persistence/per-data-source.js';

/**
 * The user's customer number at a ticket issuer, from the customer table (customer table address 5230 of the ticket
 * issuer list 5203); a user without one gets a new number registered there ([1562], [1578]), inside `em`'s
 * transaction. Safe reading: the number is made at the user's first dealing with the issuer (order, purchase,
 * installation or refund), so the issuer always sees one.
 */
export async function customerNumberIn(em: EntityManager, crypto: CryptoBackend, issuerId: string, userId: string, now: number): Promise<string> {
  const repository = em.getRepository(TicketCustomerEntity);
  const known = await repository.findOneBy({ issuerId, userId });
  if (known !== null) return known.customerNumber;
  const customerNumber = `c${toHex(crypto.randomBytes(8))}`;
  await repository.insert({ issuerId, userId, customerNumber, createdAt: now });
  return customerNumber;
}

const REMEMBERED_CUSTOMERS = 100_000;
/** Committed customer numbers, per database, the most recently used: a number, once given, never changes. */
const committedIn = perDataSource(() => new BoundedCache<string, string>(REMEMBERED_CUSTOMERS));

/**
 * The same, outside a transaction: a known customer from memory or a read, a transaction of its own for a new one.
 * Only committed numbers are remembered.
 */
export async function customerNumberFor(dataSource: DataSource, crypto: CryptoBackend, issuerId: string, userId: string, now: number): Promise<string> {
  const numbers = committedIn(dataSource);
  const key = `${issuerId}\n${userId}`;
  const remembered = numbers.get(key);
  if (remembered !== undefined) return remembered;
  const known = await dataSource.getRepository(TicketCustomerEntity).findOneBy({ issuerId, userId });
  const customerNumber = known?.customerNumber ?? (await transaction(dataSource, (em) => customerNumberIn(em, crypto, issuerId, userId, now)));
  numbers.set(key, customerNumber);
  return customerNumber;
}
