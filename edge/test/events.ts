// Test events: a valid telemetry event v1 with overridable fields.
import { randomUUID } from 'node:crypto';

/** A valid event v1 with a unique id. */
export function sampleEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema_version: '1.0',
    event_id: `evt-${randomUUID()}`,
    timestamp: new Date().toISOString(),
    operation: 'chat',
    provider: 'openai',
    model: 'gpt-4o-mini',
    status: 'ok',
    duration_ms: 812.5,
    usage: { input_tokens: 1200, output_tokens: 350 },
    cost_usd: 0.00039,
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7',
    environment: 'production',
    attributes: { route: '/chat', retry: false },
    sdk: { name: 'llm_observer', version: '0.4.0', language: 'python' },
    ...overrides,
  };
}
