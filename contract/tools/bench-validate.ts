// Quick measurement of validateEvent (µs per event) on the design example, a full event and invalid ones.
// Run: npx tsx contract/tools/bench-validate.ts   (a measurement, not a test: numbers depend on the machine)
import { readFileSync } from 'node:fs';
import { validateEnvelope } from '../src/envelope.ts';
import { validateEvent } from '../src/event-v1.ts';

const fixture = (name: string): unknown =>
  (
    JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as {
      event: unknown;
    }
  ).event;

function measure(label: string, fn: (i: number) => unknown, n = 200_000): void {
  for (let i = 0; i < 20_000; i++) fn(i); // warm-up so the JIT has compiled the hot path
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const us = Number(process.hrtime.bigint() - start) / 1000 / n;
  console.log(
    `${label.padEnd(48)} ${us.toFixed(3)} µs/event  (${Math.round(1e6 / us).toLocaleString('en')} events/s)`,
  );
}

const example = fixture('valid/design-example');
const full = fixture('valid/all-fields');
const bounds = fixture('valid/upper-bounds');
const invalid = fixture('invalid/usage-input-negative');
const manyIssues = {
  ...(example as object),
  timestamp: 'x',
  model: '',
  usage: { input_tokens: -1 },
  attributes: [],
};
const exampleJson = JSON.stringify(example);
const envelope = {
  v: 1,
  org_id: '0193a3f2-7c1e-7b7a-9d2e-3f4a5b6c7d8e',
  project_id: '0193a3f2-7c1e-7b7a-9d2e-3f4a5b6c7d8f',
  key_id: '0193a3f2-7c1e-7b7a-9d2e-3f4a5b6c7d90',
  received_at: '2026-11-25T12:00:01.234Z',
  edge_region: 'eu-west-1',
  request_id: 'req-1',
  event: example,
};

measure('validateEvent(design example)', () => validateEvent(example));
measure('JSON.parse + validateEvent(design example)', () => validateEvent(JSON.parse(exampleJson)));
measure('validateEvent(all optional fields)', () => validateEvent(full));
measure('validateEvent(every bound at max, ~17 KB)', () => validateEvent(bounds), 20_000);
measure('validateEvent(invalid: one issue)', () => validateEvent(invalid), 50_000);
measure('validateEvent(invalid: four issues)', () => validateEvent(manyIssues), 50_000);
measure('validateEnvelope(design example)', () => validateEnvelope(envelope));
