export * from './tps-messages.js';
export { startReferenceTps, type ReferenceTps } from './start-reference-tps.js';
export { TransactionProcessingModule } from './transaction-processing.module.js';
export { DEFAULT_MAX_SKEW_MS, type ReferenceTpsOptions, type TransactionProcessingOptions, type TrustedServiceProvider } from './tps-options.js';
export { TpsReadModel, type TpsAccountView, type TrialBalance } from './tps-read-model.js';
export { TpsDatabase } from './ledger/tps-database.js';
export { createTpsDataSource, type TpsDatabaseOptions } from './ledger/tps-data-source.js';
export { Ledger, fundingAccountId } from './ledger/ledger.js';
