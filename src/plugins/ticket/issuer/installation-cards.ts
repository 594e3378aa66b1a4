import { toHex } from '../../../common/bytes.js';
import type { Clock } from '../../../common/clock.js';
import type { CryptoBackend } from '../../../protocol/crypto/crypto-backend.js';
import { TisEvent, TisInstallationCard } from './entities/index.js';
import type { IssuerDatabase } from './issuer-database.js';

/** A printed installation card: the number on its face and the installation number under its scratch-off. */
export interface PrintedInstallationCard {
  readonly cardNumber: string;
  readonly installationNumber: string;
}

/** Most cards one print run makes. */
const MAX_PRINT_RUN = 1000;

/** What the issuer keeps of an installation number: a digest bound to the card, never the number itself. */
export function installationNumberDigest(crypto: CryptoBackend, cardNumber: string, installationNumber: string): string {
  return toHex(crypto.sha256(new TextEncoder().encode(`tessera.installation-card\n${cardNumber}\n${installationNumber}`)));
}

/**
 * The issuer's operator prints installation cards for an event ([1700]-[1702]): each card number starts with the
 * issuer's prefix, registered on the service provider's installation card list. Returns the printed cards.
 */
export async function issueInstallationCards(
  deps: { readonly db: IssuerDatabase; readonly crypto: CryptoBackend; readonly clock: Clock },
  request: { readonly cardPrefix: string; readonly ticketCode: string; readonly count: number },
): Promise<PrintedInstallationCard[]> {
  if (!Number.isInteger(request.count) || request.count < 1 || request.count > MAX_PRINT_RUN) throw new RangeError(`print between 1 and ${MAX_PRINT_RUN} cards`);
  const upperHex = (length: number) => toHex(deps.crypto.randomBytes(length)).toUpperCase();
  return deps.db.transaction(async (em) => {
    if ((await em.getRepository(TisEvent).findOneBy({ ticketCode: request.ticketCode })) === null) throw new Error(`no event ${request.ticketCode}`);
    const now = deps.clock.now();
    const cards: PrintedInstallationCard[] = [];
    for (let index = 0; index < request.count; index += 1) {
      const card = { cardNumber: `${request.cardPrefix}-${upperHex(6)}`, installationNumber: upperHex(6) };
      await em.getRepository(TisInstallationCard).insert({
        cardNumber: card.cardNumber,
        installationNumberDigest: installationNumberDigest(deps.crypto, card.cardNumber, card.installationNumber),
        ticketCode: request.ticketCode,
        status: 'unused',
        failedAttempts: 0,
        customerNumber: null,
        ticketId: null,
        transactionNumber: null,
        issuedAt: now,
        usedAt: null,
      });
      cards.push(card);
    }
    return cards;
  });
}
