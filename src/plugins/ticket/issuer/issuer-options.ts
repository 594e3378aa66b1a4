import type { LoggerService, LogLevel } from '@nestjs/common';
import type { Clock } from '../../../common/clock.js';
import type { CryptoBackend, PrincipalKeys } from '../../../protocol/crypto/crypto-backend.js';
import type { IssuerId, SpId } from '../../../protocol/ids.js';
import type { CatalogueEvent } from './issuer-catalogue.js';

/** Where the issuing system keeps its tables (`tis_*`, migrations table `tis_migrations`). */
export type IssuerDatabaseOptions = { readonly type: 'sqlite'; readonly database: string } | { readonly type: 'postgres'; readonly url: string };

/** How the reference ticket issuing system sells: the policies the spec leaves to the issuer. */
export interface IssuerPolicy {
  /** Completed purchases after which a customer is trusted and gets delayed clearing [1583]. */
  readonly trustedAfterPurchases: number;
  /** How long a ticket sales offer holds its seats (validity term 9006). */
  readonly offerValidityMs: number;
  /** [1567]: a returning customer (one completed purchase or more) pays this much less, in percent. */
  readonly returningCustomerDiscountPercent: number;
}

export const DEFAULT_ISSUER_POLICY: IssuerPolicy = { trustedAfterPurchases: 2, offerValidityMs: 10 * 60_000, returningCustomerDiscountPercent: 10 };

export interface ReferenceTicketIssuerOptions {
  readonly id: IssuerId;
  readonly displayName: string;
  readonly keys: PrincipalKeys;
  readonly serviceProvider: { readonly id: SpId; readonly signingPublicKey: Uint8Array; readonly sealingPublicKey: Uint8Array };
  readonly database: IssuerDatabaseOptions;
  readonly clock: Clock;
  readonly crypto: CryptoBackend;
  readonly maxSkewMs: number;
  readonly tpsId: string;
  /** Seeded on first start (events already present are left alone). */
  readonly catalogue: readonly CatalogueEvent[];
  readonly policy: IssuerPolicy;
  readonly host?: string;
  readonly port: number;
  /** Where the SP takes requests the issuer starts (modification requests); none: the issuer starts none. */
  readonly serviceProviderAddress?: { readonly host: string; readonly port: number };
  readonly logger?: LoggerService | LogLevel[] | false;
}

/**
 * The issuer's clearing account at the transaction processor (the issuer list 5203 holds it; both sides derive it
 * from the issuer ID, so no message has to carry it).
 */
export function issuerClearingAccount(issuerId: string): string {
  return `issuer.${issuerId.split(':').slice(1).join('.')}`;
}
