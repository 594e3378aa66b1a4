import type { Money } from '../../../protocol/message.js';

/** One event (a ticket code) the reference ticket issuing system sells. */
export interface CatalogueEvent {
  readonly ticketCode: string;
  readonly title: string;
  readonly date: string;
  readonly location: string;
  readonly templateCode: string;
  readonly sponsor: string;
  readonly seatClass: string | null;
  readonly unitPrice: Money;
  readonly transferable: boolean;
  /** Coupons of a coupon book, null otherwise. */
  readonly coupons: number | null;
  /** Seat labels of a seated event; for unseated events, `capacity` general admission units. */
  readonly seats: readonly string[] | null;
  readonly capacity: number;
  /** Most tickets one customer may hold for this event. */
  readonly ticketLimit: number;
}

const rows = (letters: string, perRow: number): string[] => [...letters].flatMap((row) => Array.from({ length: perRow }, (_, index) => `${row}${index + 1}`));

/** A small catalogue for the demo and the tests: a seated concert, a museum/metro coupon book, a sold-out event, a non-transferable ticket. */
export const DEFAULT_CATALOGUE: readonly CatalogueEvent[] = [
  {
    ticketCode: 'concert-2027',
    title: 'Spring concert',
    date: '2027-04-10',
    location: 'City hall',
    templateCode: 'admission.single-v1',
    sponsor: 'Acme Tickets',
    seatClass: 'stalls',
    unitPrice: { amount: 4500, currency: 'EUR' },
    transferable: true,
    coupons: null,
    seats: rows('ABCD', 10),
    capacity: 40,
    ticketLimit: 4,
  },
  {
    ticketCode: 'museum-metro-3',
    title: 'Museum and metro, 3 coupons',
    date: '2027-12-31',
    location: 'City museum and metro',
    templateCode: 'coupon.book-v1',
    sponsor: 'City transport',
    seatClass: null,
    unitPrice: { amount: 1200, currency: 'EUR' },
    transferable: true,
    coupons: 3,
    seats: null,
    capacity: 500,
    ticketLimit: 10,
  },
  {
    ticketCode: 'final-sold-out',
    title: 'Cup final',
    date: '2027-05-20',
    location: 'National stadium',
    templateCode: 'admission.single-v1',
    sponsor: 'Football league',
    seatClass: 'standard',
    unitPrice: { amount: 9000, currency: 'EUR' },
    transferable: true,
    coupons: null,
    seats: null,
    capacity: 0,
    ticketLimit: 2,
  },
  {
    ticketCode: 'gala-personal',
    title: 'Opening gala (personal)',
    date: '2027-06-01',
    location: 'Opera house',
    templateCode: 'admission.single-v1',
    sponsor: 'Opera house',
    seatClass: 'balcony',
    unitPrice: { amount: 12000, currency: 'EUR' },
    transferable: false,
    coupons: null,
    seats: rows('EF', 5),
    capacity: 10,
    ticketLimit: 2,
  },
];
