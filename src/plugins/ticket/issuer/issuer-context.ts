import type { Clock } from '../../../common/clock.js';
import type { CryptoBackend } from '../../../protocol/crypto/crypto-backend.js';
import type { Envelope, Signer } from '../../../protocol/envelope.js';
import type { IssuerId } from '../../../protocol/ids.js';
import type { IssuerDatabase } from './issuer-database.js';
import type { IssuerPolicy } from './issuer-options.js';

/** What every message handler of the issuing system gets. */
export interface IssuerContext {
  readonly id: IssuerId;
  readonly signer: Signer;
  readonly envelope: Envelope;
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly db: IssuerDatabase;
  readonly policy: IssuerPolicy;
  readonly tpsId: string;
  /** A fresh number (offer, transaction, ticket IDs): random, so they are unique without coordination. */
  newNumber(prefix: string): string;
}
