import { toHex } from '../../../common/bytes.js';
import type { ExternalPartyAddress } from '../../../external/transport/external-party-client.js';
import { Envelope } from '../../../protocol/envelope.js';
import { issueInstallationCards, type PrintedInstallationCard } from './installation-cards.js';
import type { IssuerDatabase } from './issuer-database.js';
import type { ReferenceTicketIssuerOptions } from './issuer-options.js';
import { modifyEvent, type EventChange, type ModificationSent } from './modify-event.js';

/**
 * What the issuer's staff do on their own initiative, for the demo and the tests: print installation cards ([1700]),
 * and modify an event, which sends a modification request 8000 / 8100 to the service provider ([1711]).
 */
export class IssuerOperator {
  constructor(
    private readonly options: ReferenceTicketIssuerOptions,
    private readonly db: IssuerDatabase,
    private readonly serviceProviderAddress: ExternalPartyAddress | undefined,
  ) {}

  /** The prefix of this issuer's installation card numbers (register it on the SP's installation card list). */
  get installationCardPrefix(): string {
    return this.options.id.split(':')[2]?.toUpperCase().replace(/[^A-Z0-9]/g, '') ?? 'CARD';
  }

  printInstallationCards(ticketCode: string, count: number): Promise<PrintedInstallationCard[]> {
    return issueInstallationCards({ db: this.db, crypto: this.options.crypto, clock: this.options.clock }, { cardPrefix: this.installationCardPrefix, ticketCode, count });
  }

  modifyEvent(ticketCode: string, change: EventChange): Promise<ModificationSent> {
    if (this.serviceProviderAddress === undefined) return Promise.reject(new Error('this issuer was not told where the service provider takes requests'));
    const { options } = this;
    return modifyEvent(
      {
        id: options.id,
        keys: options.keys,
        envelope: new Envelope(options.crypto),
        clock: options.clock,
        maxSkewMs: options.maxSkewMs,
        db: this.db,
        serviceProvider: options.serviceProvider,
        serviceProviderAddress: this.serviceProviderAddress,
        newNumber: (prefix) => `${prefix}${toHex(options.crypto.randomBytes(10))}`,
      },
      ticketCode,
      change,
    );
  }
}
