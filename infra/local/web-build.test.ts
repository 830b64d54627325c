// The dashboard's source hash: changes with what `next build` reads, not with tests, docs or outputs.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webSourceHash } from './web-build.ts';

let root: string;
let web: string;
let lock: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'llmo-web-hash-'));
  web = path.join(root, 'web');
  lock = path.join(root, 'package-lock.json');
  await mkdir(path.join(web, 'app'), { recursive: true });
  await writeFile(path.join(web, 'app', 'page.tsx'), 'export default 1;');
  await writeFile(lock, '{"v":1}');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('webSourceHash', () => {
  it('changes when a source file, a file name or the lock file changes', async () => {
    const first = await webSourceHash(web, lock);
    expect(await webSourceHash(web, lock)).toBe(first);
    await writeFile(path.join(web, 'app', 'page.tsx'), 'export default 2;');
    const second = await webSourceHash(web, lock);
    expect(second).not.toBe(first);
    await writeFile(path.join(web, 'app', 'new.css'), '');
    const third = await webSourceHash(web, lock);
    expect(third).not.toBe(second);
    await writeFile(lock, '{"v":2}');
    expect(await webSourceHash(web, lock)).not.toBe(third);
  });

  it('ignores build outputs, tests, docs and screenshots', async () => {
    const before = await webSourceHash(web, lock);
    for (const dir of ['.next', '.next-dev', 'screenshots', 'node_modules']) {
      await mkdir(path.join(web, dir), { recursive: true });
      await writeFile(path.join(web, dir, 'x.js'), String(Math.random()));
    }
    await writeFile(path.join(web, 'page.test.ts'), 'test');
    await writeFile(path.join(web, 'README.md'), 'doc');
    expect(await webSourceHash(web, lock)).toBe(before);
  });
});
