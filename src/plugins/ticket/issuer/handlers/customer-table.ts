import type { EntityManager } from 'typeorm';
import { TisCustomer } from '../entities/index.js';
import type { IssuerPolicy } from '../issuer-options.js';

/** The customer behind a customer number; a number seen for the first time is a new customer. */
export async function customerOf(em: EntityManager, customerNumber: string, now: number): Promise<TisCustomer> {
  const known = await em.getRepository(TisCustomer).findOneBy({ customerNumber });
  if (known !== null) return known;
  const customer = Object.assign(new TisCustomer(), { customerNumber, completedPurchases: 0, trusted: false, createdAt: now });
  await em.getRepository(TisCustomer).insert(customer);
  return customer;
}

/** [1583]: delayed clearing for a customer known to be trustworthy, spontaneous for the others. */
export function clearingOptionFor(customer: TisCustomer, policy: IssuerPolicy): 'spontaneous' | 'delayed' {
  return customer.trusted || customer.completedPurchases >= policy.trustedAfterPurchases ? 'delayed' : 'spontaneous';
}
