// Benchmark request bodies: 100-event batches (~49 KB) of realistic, valid telemetry events.
import { randomUUID } from 'node:crypto';

/** One realistic event (every common optional field set), stamped `at`. */
function event(i: number, at: string): Record<string, unknown> {
  return {
    schema_version: '1.0',
    event_id: `01J${randomUUID().replaceAll('-', '').slice(0, 23).toUpperCase()}`,
    timestamp: at,
    operation: i % 5 === 0 ? 'embeddings' : 'chat',
    provider: i % 3 === 0 ? 'anthropic' : 'openai',
    model: i % 3 === 0 ? 'claude-sonnet-4-5' : 'gpt-4o-mini',
    status: i % 17 === 0 ? 'error' : 'ok',
    ...(i % 17 === 0 ? { error: { type: 'rate_limit', message: 'Rate limit reached for requests' } } : {}),
    duration_ms: 200 + ((i * 37) % 3000),
    usage: { input_tokens: 1000 + i * 7, output_tokens: 200 + i * 3 },
    cost_usd: 0.00039 + i / 1e6,
    trace_id: randomUUID().replaceAll('-', ''),
    span_id: randomUUID().replaceAll('-', '').slice(0, 16),
    environment: 'production',
    attributes: { route: '/chat', retry: false },
    sdk: { name: 'llm_observer', version: '0.4.0', language: 'python' },
  };
}

/** `count` distinct batch bodies of `eventsPerBatch` events each, stamped now. */
export function makeBodies(count: number, eventsPerBatch = 100): Buffer[] {
  const at = new Date().toISOString();
  return Array.from({ length: count }, () =>
    Buffer.from(JSON.stringify({ events: Array.from({ length: eventsPerBatch }, (_, i) => event(i, at)) })),
  );
}
