// The dashboard's generated API types (web/lib/openapi.gen.ts) are exactly what regional/openapi.json generates now.
// Integration tier although it needs no server: loading openapi-typescript alone costs seconds of CPU.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { generateWebTypes, WEB_TYPES_FILE } from './web-types.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
let generated: string;
beforeAll(async () => {
  generated = await generateWebTypes();
});

it(`${WEB_TYPES_FILE} matches regional/openapi.json (regenerate: npm run api:types)`, () => {
  const committed = readFileSync(path.join(root, WEB_TYPES_FILE), 'utf8');
  // One boolean: a diff of two 900-line files would bury the hint in the test name.
  expect(committed === generated).toBe(true);
});

it('folds the event schema of contract/ into components without a $defs member', () => {
  expect(generated).toContain('ExplorerItem: components["schemas"]["telemetry_event_v1"] & {');
  expect(generated).not.toMatch(/^\s+\$defs: \{/m);
  // An unknown field's value is any JSON, not only an object.
  expect(generated).toMatch(/unknown_nested_32: string \| number \| boolean \| null \|/);
});
