// Public entry of contract/: event v1, envelope v1, ingest API shapes and the API key format.
export * from './src/api-key.ts';
export * from './src/envelope.ts';
export * from './src/event-v1.ts';
export * from './src/ingest.ts';
export type { ContractIssue, ValidationResult } from './src/issues.ts';
