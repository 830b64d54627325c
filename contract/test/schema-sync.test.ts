// The JSON Schema files and the TypeScript side share every pattern and bound (no silent drift).
import { describe, expect, it } from 'vitest';
import { UUID_PATTERN } from '../src/envelope.ts';
import { EVENT_LIMITS as L, EVENT_PATTERNS as P } from '../src/event-v1.ts';
import { RFC3339_PATTERN } from '../src/text.ts';
import { readContractJson } from './json-schema.ts';

/** Value at a dotted path of parsed JSON (undefined when absent). */
function at(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[key];
  return node;
}

const schema = readContractJson('telemetry_event_v1.json');
const p = (path: string) => at(schema, `properties.${path}`);
const d = (path: string) => at(schema, `$defs.${path}`);

describe('JSON Schema and TypeScript limits', () => {
  it('use the same patterns', () => {
    expect(p('schema_version.pattern')).toBe(P.schemaVersion);
    expect(p('event_id.pattern')).toBe(P.eventId);
    expect(p('operation.pattern')).toBe(P.operation);
    expect(p('provider.pattern')).toBe(P.provider);
    expect(p('trace_id.pattern')).toBe(P.traceId);
    expect(d('span_id.pattern')).toBe(P.spanId);
    expect(d('flat_map.propertyNames.pattern')).toBe(P.mapKey);
    expect(d('rfc3339.pattern')).toBe(RFC3339_PATTERN);
    expect(at(readContractJson('envelope_v1.json'), '$defs.uuid.pattern')).toBe(UUID_PATTERN);
  });

  it('use the same bounds', () => {
    expect(p('model.maxLength')).toBe(L.modelMaxLength);
    expect(p('response_model.maxLength')).toBe(L.modelMaxLength);
    expect(d('milliseconds.maximum')).toBe(L.maxDurationMs);
    expect(d('token_count.maximum')).toBe(L.maxTokens);
    expect(p('cost_usd.maximum')).toBe(L.maxCostUsd);
    expect(p('error.properties.type.maxLength')).toBe(L.errorTypeMaxLength);
    expect(p('error.properties.message.maxLength')).toBe(L.errorMessageMaxLength);
    expect(p('session_id.maxLength')).toBe(L.opaqueIdMaxLength);
    expect(p('user_id.maxLength')).toBe(L.opaqueIdMaxLength);
    expect(p('environment.maxLength')).toBe(L.environmentMaxLength);
    expect(p('finish_reasons.maxItems')).toBe(L.maxFinishReasons);
    expect(p('finish_reasons.items.maxLength')).toBe(L.finishReasonMaxLength);
    expect(d('flat_map.maxProperties')).toBe(L.maxMapEntries);
    expect(d('flat_map.additionalProperties.maxLength')).toBe(L.mapStringValueMaxLength);
    for (const f of ['name', 'version', 'language'])
      expect(p(`sdk.properties.${f}.maxLength`)).toBe(L.sdkFieldMaxLength);
    expect(P.eventId).toContain(`{1,${L.eventIdMaxLength}}`);
    expect(P.operation).toContain(`{1,${L.operationMaxLength}}`);
    expect(P.provider).toContain(`{1,${L.providerMaxLength}}`);
    expect(P.mapKey).toContain(`{1,${L.mapKeyMaxLength}}`);
  });
});
