import type { EntityManager } from 'typeorm';
import { TicketCustomerEntity } from '../persistence/ticket-customer.entity.js';

/**
 * [1578]: the customer number that stands for the user towards the issuer, from the customer table; a new one is made
 * and registered when the user and the issuer have had no dealings yet.
 */
export async function customerNumberFor(em: EntityManager, issuerId: string, userId: string, newNumber: () => string, now: number): Promise<string> {
  const repository = em.getRepository(TicketCustomerEntity);
  const existing = await repository.findOneBy({ issuerId, userId });
  if (existing !== null) return existing.customerNumber;
  const customerNumber = newNumber();
  await repository.insert({ issuerId, userId, customerNumber, createdAt: now });
  return customerNumber;
}
