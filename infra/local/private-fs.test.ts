// Local state is owner-only: landing objects and their folders, and folders left 0755 by an older run.
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendDurably, privateDir, syncDir } from './private-fs.ts';
import { ObjectStore } from './s3/object-store.ts';

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

const modeOf = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

describe('local data permissions', () => {
  it('stores landing objects as 0600 files in 0700 folders', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'llmo-private-'));
    made.push(root);
    const store = new ObjectStore(path.join(root, 's3'));
    await store.createBucket('landing');
    await store.put('landing', '2026/12/02/10/x.gz', Buffer.from('tenant data'), {});
    for (const dir of ['s3', 's3/landing/objects', 's3/landing/meta']) {
      expect(await modeOf(path.join(root, dir))).toBe(0o700);
    }
    for (const sub of ['objects', 'meta']) {
      const dir = path.join(root, 's3/landing', sub);
      const files = await readdir(dir);
      expect(files.length).toBe(1);
      expect(await modeOf(path.join(dir, files[0] as string))).toBe(0o600);
    }
  });

  it('narrows a folder an older run left readable by everyone', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'llmo-private-'));
    made.push(root);
    const dir = path.join(root, 'dynamodb');
    await mkdir(dir, { mode: 0o755 });
    await privateDir(dir);
    expect(await modeOf(dir)).toBe(0o700);
  });

  it('syncs the object folder after the rename, then the sidecar folder, before put resolves', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'llmo-private-'));
    made.push(root);
    let resolved = false;
    const calls: Array<{ dir: string; names: string[]; after: boolean }> = [];
    const store = new ObjectStore(path.join(root, 's3'), {
      syncDir: async (dir) => {
        calls.push({ dir: path.relative(root, dir), names: readdirSync(dir), after: resolved });
        await syncDir(dir);
      },
    });
    await store.createBucket('landing');
    await store.put('landing', 'k.gz', Buffer.from('tenant data'), {});
    resolved = true;
    const [object] = await readdir(path.join(root, 's3/landing/objects'));
    expect(calls).toEqual([
      { dir: 's3/landing/objects', names: [object], after: false },
      { dir: 's3/landing/meta', names: [`${object}.json`], after: false },
    ]);
  });

  it('appends durably: 0600, the folder synced when the append created the file, before it resolves', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'llmo-private-'));
    made.push(root);
    const file = path.join(root, 'loader-dlq.ndjson');
    const synced: string[][] = [];
    const sync = async (dir: string) => {
      synced.push(readdirSync(dir));
      await syncDir(dir);
    };
    await appendDurably(file, 'one\n', sync);
    expect(synced).toEqual([['loader-dlq.ndjson']]);
    await appendDurably(file, 'two\n', sync);
    expect(synced).toHaveLength(1);
    expect(await readFile(file, 'utf8')).toBe('one\ntwo\n');
    expect(await modeOf(file)).toBe(0o600);
  });
});
