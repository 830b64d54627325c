// The SDK agrees with the service: its shipped schema is the released one, and its local percentiles
// are the service's histogram percentiles (same buckets, same rank rule) for the same latencies.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  histogramOf,
  latencyPercentiles,
  RELATIVE_ACCURACY,
} from '../../regional/rollups/latency-histogram.ts';
import { runPython, SDK_DIR } from './python-env.ts';

describe('llm_observer and the service', () => {
  it('ships the released event schema byte for byte', () => {
    const released = readFileSync(path.join(SDK_DIR, '../../contract/released/telemetry_event_v1.json'));
    const shipped = readFileSync(path.join(SDK_DIR, 'llm_observer/schema/telemetry_event_v1.json'));
    expect(shipped.equals(released)).toBe(true);
  });

  it('reports the same p50/p95/p99 as the service for the same latencies', async () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    // Log-normal-ish latencies from 0 to ~60 s, with exact zeros and sub-microsecond values.
    const values = Array.from({ length: 5000 }, (_, i) =>
      i % 97 === 0 ? 0 : i % 89 === 0 ? 0.0005 : Math.exp(rand() * 11) * 0.01,
    );
    const code =
      'import json, sys\n' +
      'from llm_observer._histogram import histogram_of, percentiles\n' +
      'print(json.dumps(percentiles(histogram_of(json.load(sys.stdin)))))\n';
    const run = await runPython(['-c', code], { input: JSON.stringify(values) });
    expect(run.code, run.stderr).toBe(0);
    const python = JSON.parse(run.stdout) as Record<'p50' | 'p95' | 'p99', number>;
    const service = latencyPercentiles(histogramOf(values));
    for (const q of ['p50', 'p95', 'p99'] as const) {
      expect(python[q]).toBeCloseTo(service[q] ?? Number.NaN, 9);
      const sorted = [...values].sort((a, b) => a - b);
      const exact = sorted[Math.floor({ p50: 0.5, p95: 0.95, p99: 0.99 }[q] * (sorted.length - 1))] ?? 0;
      expect(Math.abs(python[q] - exact)).toBeLessThanOrEqual(exact * RELATIVE_ACCURACY);
    }
  }, 60_000);
});
