// The dashboard's generated API types (web/lib/openapi.gen.ts) are exactly what regional/openapi.json generates now.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'llmo-api-types-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('web/lib/openapi.gen.ts matches regional/openapi.json (regenerate: npm run api:types)', () => {
  const out = path.join(dir, 'openapi.gen.ts');
  // The same command as `npm run api:types`, written elsewhere, then compared byte for byte.
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/openapi-typescript/bin/cli.js'), 'regional/openapi.json', '-o', out],
    { cwd: root, stdio: 'pipe' },
  );
  const committed = readFileSync(path.join(root, 'web/lib/openapi.gen.ts'), 'utf8');
  expect(committed === readFileSync(out, 'utf8')).toBe(true);
});
