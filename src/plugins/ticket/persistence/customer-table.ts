import type { DataSource, EntityManager } from 'typeorm';
import { toHex } from '../../../common/bytes.js';
import type { CryptoBackend } from '../../../protocol/crypto/crypto-backend.js';
import { transaction } from '../../../persistence/write-lock.js';
import { TicketCustomerEntity } from './ticket-customer.entity.js';

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

/** The same, outside a transaction: a read for a known customer, a transaction of its own for a new one. */
export async function customerNumberFor(dataSource: DataSource, crypto: CryptoBackend, issuerId: string, userId: string, now: number): Promise<string> {
  const known = await dataSource.getRepository(TicketCustomerEntity).findOneBy({ issuerId, userId });
  if (known !== null) return known.customerNumber;
  return transaction(dataSource, (em) => customerNumberIn(em, crypto, issuerId, userId, now));
}
