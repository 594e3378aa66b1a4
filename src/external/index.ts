export * from './transport/index.js';
export * from './transaction-processing/index.js';
