import type { DataSource } from 'typeorm';
import { toHex } from '../../../common/bytes.js';
import type { CryptoBackend } from '../../../protocol/crypto/crypto-backend.js';
import { transaction } from '../../../persistence/write-lock.js';
import { TicketCustomerEntity } from '../persistence/ticket-customer.entity.js';

/**
 * The user's customer number at a ticket issuer, from the customer table (customer table address 5230 of the ticket
 * issuer list 5203); a user without one gets a new number registered there ([1562], [1578]). Safe reading: the number
 * is made at the user's first contact with the issuer (order or purchase), so the issuer always sees one.
 */
export async function customerNumberFor(dataSource: DataSource, crypto: CryptoBackend, issuerId: string, userId: string, now: number): Promise<string> {
  const known = await dataSource.getRepository(TicketCustomerEntity).findOneBy({ issuerId, userId });
  if (known !== null) return known.customerNumber;
  return transaction(dataSource, async (em) => {
    const raced = await em.getRepository(TicketCustomerEntity).findOneBy({ issuerId, userId });
    if (raced !== null) return raced.customerNumber;
    const customerNumber = `c${toHex(crypto.randomBytes(8))}`;
    await em.getRepository(TicketCustomerEntity).insert({ issuerId, userId, customerNumber, createdAt: now });
    return customerNumber;
  });
}
