// Public entry of contract/ (the only import path from outside it): event v1, envelope v1, ingest API shapes,
// the API key format, the DynamoDB key-cache item and the JSON text scanner.
export * from './src/api-key.ts';
export * from './src/envelope.ts';
export * from './src/event-v1.ts';
export * from './src/ingest.ts';
export type { ContractIssue, ValidationResult } from './src/issues.ts';
export * from './src/json-scan.ts';
export * from './src/key-cache-item.ts';
export * from './src/s3-notification.ts';
export { codePointLengthWithin, isRfc3339Timestamp, rfc3339EpochMs } from './src/text.ts';
