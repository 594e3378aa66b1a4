import type { EntityManager } from 'typeorm';
import { execute, numberOf, numberOrNull, placeholders, select, Sql } from '../../../persistence/raw-sql.js';
import type { TisCustomer, TisEvent, TisOffer, TisSale } from './entities/index.js';

/**
 * The statements of the issuing system's sales path (order, purchase order, clearing completion), prepared once
 * instead of built by TypeORM's query builder on every message. Identifiers are quoted: the tables' columns are
 * camelCase, which PostgreSQL folds otherwise. Rows come back as the entities' shapes (bigint and boolean columns
 * read alike on both databases).
 */

const q = (text: string): Sql => new Sql(text);

const ANSWER = q('SELECT "answerType", "fields" FROM "tis_answers" WHERE "requestKey" = ?');
const INSERT_ANSWER = q('INSERT INTO "tis_answers" ("requestKey", "answerType", "fields", "answeredAt") VALUES (?, ?, ?, ?)');
const EVENT = q('SELECT * FROM "tis_events" WHERE "ticketCode" = ?');
const CUSTOMER = q('SELECT * FROM "tis_customers" WHERE "customerNumber" = ?');
const INSERT_CUSTOMER = q('INSERT INTO "tis_customers" ("customerNumber", "completedPurchases", "trusted", "createdAt") VALUES (?, 0, FALSE, ?)');
const COUNT_HELD = q('SELECT COUNT(*) AS "count" FROM "tis_issued_tickets" WHERE "customerNumber" = ? AND "ticketCode" = ? AND "status" NOT IN (\'cancelled\', \'refunded\')');
const OPEN_OFFERS = q('SELECT "units" FROM "tis_offers" WHERE "customerNumber" = ? AND "ticketCode" = ? AND "status" = \'offered\' AND "validUntil" >= ?');
const FREE_UNITS = q('SELECT "unit" FROM "tis_units" WHERE "ticketCode" = ? AND "status" = \'free\' ORDER BY "position" ASC LIMIT ?');
const INSERT_OFFER = q('INSERT INTO "tis_offers" ("offerNumber", "customerNumber", "ticketCode", "units", "unitPrice", "price", "currency", "validUntil", "status") VALUES (?, ?, ?, ?, ?, ?, ?, ?, \'offered\')');
const OFFER = q('SELECT * FROM "tis_offers" WHERE "offerNumber" = ?');
const SET_OFFER_STATUS = q('UPDATE "tis_offers" SET "status" = ? WHERE "offerNumber" = ?');
const INSERT_SALE = q(
  'INSERT INTO "tis_sales" ("transactionNumber", "requestNumber", "customerNumber", "offerNumber", "ticketCode", "amount", "currency", "clearingOption", "status", "clearingNumber", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, \'commissioned\', NULL, ?, ?)',
);
const INSERT_TICKET = q('INSERT INTO "tis_issued_tickets" ("ticketId", "transactionNumber", "ticketCode", "customerNumber", "unit", "status", "issuedAt") VALUES (?, ?, ?, ?, ?, \'issued\', ?)');
const SALE = q('SELECT * FROM "tis_sales" WHERE "transactionNumber" = ?');
const CLEAR_SALE = q('UPDATE "tis_sales" SET "status" = \'cleared\', "clearingNumber" = ?, "updatedAt" = ? WHERE "transactionNumber" = ?');
const COUNT_PURCHASE = q('UPDATE "tis_customers" SET "completedPurchases" = "completedPurchases" + 1 WHERE "customerNumber" = ?');
const TICKETS_OF_SALE = q('SELECT "ticketId" FROM "tis_issued_tickets" WHERE "transactionNumber" = ? ORDER BY "ticketId" ASC');

/** Units are few per offer; statements with their count of placeholders are made once per count. */
const byCount = new Map<string, Sql>();
function forUnits(kind: 'held' | 'sell' | 'hold', count: number): Sql {
  const key = `${kind}:${count}`;
  let statement = byCount.get(key);
  if (statement === undefined) {
    const units = placeholders(count);
    statement =
      kind === 'held'
        ? q(`SELECT "unit" FROM "tis_units" WHERE "ticketCode" = ? AND "status" = 'held' AND "holder" = ? AND "unit" IN (${units})`)
        : kind === 'sell'
          ? q(`UPDATE "tis_units" SET "status" = 'sold', "holder" = ?, "heldUntil" = NULL WHERE "ticketCode" = ? AND "unit" IN (${units})`)
          : q(`UPDATE "tis_units" SET "status" = 'held', "holder" = ?, "heldUntil" = ? WHERE "ticketCode" = ? AND "unit" IN (${units})`);
    byCount.set(key, statement);
  }
  return statement;
}

const bool = (value: unknown): boolean => value === true || value === 1 || value === '1' || value === 't';
const str = (value: unknown): string => value as string;
const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : (value as string));

type Row = Record<string, unknown>;

export const issuerSql = {
  async answer(em: EntityManager, requestKey: string): Promise<{ answerType: string; fields: string } | undefined> {
    const [row] = await select<Row>(em, ANSWER, [requestKey]);
    // `fields` is a JSON text column (jsonText): the base64 of the answer's canonical CBOR, as a JSON string.
    return row === undefined ? undefined : { answerType: str(row['answerType']), fields: JSON.parse(str(row['fields'])) as string };
  },

  async insertAnswer(em: EntityManager, requestKey: string, answerType: string, fields: string, answeredAt: number): Promise<void> {
    await execute(em, INSERT_ANSWER, [requestKey, answerType, JSON.stringify(fields), answeredAt]);
  },

  async event(em: EntityManager, ticketCode: string): Promise<TisEvent | undefined> {
    const [row] = await select<Row>(em, EVENT, [ticketCode]);
    if (row === undefined) return undefined;
    return {
      ticketCode: str(row['ticketCode']),
      title: str(row['title']),
      date: str(row['date']),
      location: str(row['location']),
      templateCode: str(row['templateCode']),
      sponsor: str(row['sponsor']),
      seatClass: strOrNull(row['seatClass']),
      unitPrice: numberOf(row['unitPrice']),
      currency: str(row['currency']),
      transferable: bool(row['transferable']),
      coupons: numberOrNull(row['coupons']),
      seated: bool(row['seated']),
      ticketLimit: numberOf(row['ticketLimit']),
    };
  },

  /** The customer behind a customer number; a number seen for the first time is a new customer. */
  async customer(em: EntityManager, customerNumber: string, now: number): Promise<TisCustomer> {
    const [row] = await select<Row>(em, CUSTOMER, [customerNumber]);
    if (row !== undefined) return { customerNumber, completedPurchases: numberOf(row['completedPurchases']), trusted: bool(row['trusted']), createdAt: numberOf(row['createdAt']) };
    await execute(em, INSERT_CUSTOMER, [customerNumber, now]);
    return { customerNumber, completedPurchases: 0, trusted: false, createdAt: now };
  },

  /** Tickets of the event the customer holds, plus units on offers still within their validity term. */
  async ticketsOfCustomer(em: EntityManager, customerNumber: string, ticketCode: string, now: number): Promise<number> {
    const [held] = await select<Row>(em, COUNT_HELD, [customerNumber, ticketCode]);
    const offers = await select<Row>(em, OPEN_OFFERS, [customerNumber, ticketCode, now]);
    return numberOf(held?.['count'] ?? 0) + offers.reduce((sum, offer) => sum + (JSON.parse(str(offer['units'])) as string[]).length, 0);
  },

  async freeUnits(em: EntityManager, ticketCode: string, count: number): Promise<string[]> {
    return (await select<Row>(em, FREE_UNITS, [ticketCode, count])).map((row) => str(row['unit']));
  },

  async hold(em: EntityManager, ticketCode: string, units: readonly string[], offerNumber: string, heldUntil: number): Promise<void> {
    await execute(em, forUnits('hold', units.length), [offerNumber, heldUntil, ticketCode, ...units]);
  },

  async insertOffer(em: EntityManager, offer: Omit<TisOffer, 'status'>): Promise<void> {
    await execute(em, INSERT_OFFER, [offer.offerNumber, offer.customerNumber, offer.ticketCode, JSON.stringify(offer.units), offer.unitPrice, offer.price, offer.currency, offer.validUntil]);
  },

  async offer(em: EntityManager, offerNumber: string): Promise<TisOffer | undefined> {
    const [row] = await select<Row>(em, OFFER, [offerNumber]);
    if (row === undefined) return undefined;
    return {
      offerNumber,
      customerNumber: str(row['customerNumber']),
      ticketCode: str(row['ticketCode']),
      units: JSON.parse(str(row['units'])) as string[],
      unitPrice: numberOf(row['unitPrice']),
      price: numberOf(row['price']),
      currency: str(row['currency']),
      validUntil: numberOf(row['validUntil']),
      status: str(row['status']) as TisOffer['status'],
    };
  },

  /** How many of the units are still held by the offer. */
  async heldBy(em: EntityManager, ticketCode: string, units: readonly string[], offerNumber: string): Promise<number> {
    return (await select<Row>(em, forUnits('held', units.length), [ticketCode, offerNumber, ...units])).length;
  },

  async sell(em: EntityManager, ticketCode: string, units: readonly string[], transactionNumber: string): Promise<void> {
    await execute(em, forUnits('sell', units.length), [transactionNumber, ticketCode, ...units]);
  },

  async setOfferStatus(em: EntityManager, offerNumber: string, status: TisOffer['status']): Promise<void> {
    await execute(em, SET_OFFER_STATUS, [status, offerNumber]);
  },

  async insertSale(em: EntityManager, sale: Omit<TisSale, 'status' | 'clearingNumber'>): Promise<void> {
    await execute(em, INSERT_SALE, [sale.transactionNumber, sale.requestNumber, sale.customerNumber, sale.offerNumber, sale.ticketCode, sale.amount, sale.currency, sale.clearingOption, sale.createdAt, sale.updatedAt]);
  },

  async insertTicket(em: EntityManager, ticket: { ticketId: string; transactionNumber: string; ticketCode: string; customerNumber: string; unit: string; issuedAt: number }): Promise<void> {
    await execute(em, INSERT_TICKET, [ticket.ticketId, ticket.transactionNumber, ticket.ticketCode, ticket.customerNumber, ticket.unit, ticket.issuedAt]);
  },

  async sale(em: EntityManager, transactionNumber: string): Promise<TisSale | undefined> {
    const [row] = await select<Row>(em, SALE, [transactionNumber]);
    if (row === undefined) return undefined;
    return {
      transactionNumber,
      requestNumber: str(row['requestNumber']),
      customerNumber: str(row['customerNumber']),
      offerNumber: str(row['offerNumber']),
      ticketCode: str(row['ticketCode']),
      amount: numberOf(row['amount']),
      currency: str(row['currency']),
      clearingOption: str(row['clearingOption']) as TisSale['clearingOption'],
      status: str(row['status']) as TisSale['status'],
      clearingNumber: numberOrNull(row['clearingNumber']),
      createdAt: numberOf(row['createdAt']),
      updatedAt: numberOf(row['updatedAt']),
    };
  },

  /** The sale cleared, and one more completed purchase in its customer's history. */
  async clearSale(em: EntityManager, sale: TisSale, clearingNumber: number, now: number): Promise<void> {
    await execute(em, CLEAR_SALE, [clearingNumber, now, sale.transactionNumber]);
    await execute(em, COUNT_PURCHASE, [sale.customerNumber]);
  },

  async ticketsOfSale(em: EntityManager, transactionNumber: string): Promise<string[]> {
    return (await select<Row>(em, TICKETS_OF_SALE, [transactionNumber])).map((row) => str(row['ticketId']));
  },
};
