import type { LoggerService, LogLevel } from '@nestjs/common';
import type { Clock } from '../../common/clock.js';
import type { CryptoBackend, PrincipalKeys } from '../../protocol/crypto/crypto-backend.js';
import type { SpId, TpsId } from '../../protocol/ids.js';
import type { TpsDatabaseOptions } from './ledger/tps-data-source.js';

/** The one party the TPS takes requests from. */
export interface TrustedServiceProvider {
  readonly id: SpId;
  /** Ed25519: verifies the SP's signature on every request. */
  readonly signingPublicKey: Uint8Array;
  /** X25519: every answer is sealed to it. */
  readonly sealingPublicKey: Uint8Array;
}

/** What the transaction processing system is, whom it trusts and where it keeps its ledger. */
export interface TransactionProcessingOptions {
  /** Its own identity, `tps:<name>`: the addressee of every request and the signer of every answer. */
  readonly id: TpsId;
  readonly keys: PrincipalKeys;
  readonly serviceProvider: TrustedServiceProvider;
  /** Its own database; tables are `tps_*`, so a PostgreSQL database may be shared with the SP. */
  readonly database: TpsDatabaseOptions;
  /** Defaults to the system clock. */
  readonly clock?: Clock;
  /** Defaults to the node:crypto backend. */
  readonly crypto?: CryptoBackend;
  /** Largest accepted distance between a request's issued time and the TPS's clock. Defaults to 5 minutes. */
  readonly maxSkewMs?: number;
}

/** TransactionProcessingOptions plus where the microservice listens. */
export interface ReferenceTpsOptions extends TransactionProcessingOptions {
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** 0 binds a free port; ReferenceTps.port tells which. */
  readonly port: number;
  /** Nest's logger; `false` silences it (tests). */
  readonly logger?: LoggerService | LogLevel[] | false;
}

export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;
