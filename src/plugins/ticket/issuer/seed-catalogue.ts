import type { EntityManager } from 'typeorm';
import { TisEvent, TisUnit } from './entities/index.js';
import type { CatalogueEvent } from './issuer-catalogue.js';

/** Puts the catalogue's events and their units in the tables; an event already there is left as it is. */
export async function seedCatalogue(em: EntityManager, catalogue: readonly CatalogueEvent[]): Promise<void> {
  for (const event of catalogue) {
    if ((await em.getRepository(TisEvent).findOneBy({ ticketCode: event.ticketCode })) !== null) continue;
    await em.getRepository(TisEvent).insert({
      ticketCode: event.ticketCode,
      title: event.title,
      date: event.date,
      location: event.location,
      templateCode: event.templateCode,
      sponsor: event.sponsor,
      seatClass: event.seatClass,
      unitPrice: event.unitPrice.amount,
      currency: event.unitPrice.currency,
      transferable: event.transferable,
      coupons: event.coupons,
      seated: event.seats !== null,
      ticketLimit: event.ticketLimit,
    });
    const labels = event.seats ?? Array.from({ length: event.capacity }, (_, index) => `ga-${index + 1}`);
    const units = labels.map((unit, position) => ({ ticketCode: event.ticketCode, unit, position, status: 'free' as const, holder: null, heldUntil: null }));
    for (let start = 0; start < units.length; start += 100) await em.getRepository(TisUnit).insert(units.slice(start, start + 100));
  }
}
