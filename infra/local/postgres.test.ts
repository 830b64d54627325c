// Where the embedded cluster keeps its data when the wanted folder is out of the postgres user's reach.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reachableClusterDir } from './postgres.ts';

const asRoot = process.getuid?.() === 0;

describe('reachableClusterDir', () => {
  it('keeps the data where wanted when every folder on the way can be passed', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'llmo-pgdata-'));
    chmodSync(root, 0o755);
    const wanted = path.join(root, '.data', 'postgres');
    expect(await reachableClusterDir(wanted)).toBe(wanted);
  });

  it('under a private folder (as root): one stand-in folder per data folder, a new one after deleting it', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'llmo-pgdata-')); // 0700
    const wanted = path.join(root, '.data', 'postgres');
    const notices: string[] = [];
    const first = await reachableClusterDir(wanted, (line) => notices.push(line));
    if (!asRoot) {
      // Without root PostgreSQL runs as this user, who can reach the folder.
      expect(first).toBe(wanted);
      return;
    }
    expect(path.dirname(first)).toBe('/var/tmp/llmo-postgres');
    expect(readFileSync(path.join(wanted, 'RELOCATED_TO'), 'utf8').trim()).toBe(first);
    expect(notices).toEqual([`${root} is private to root, so PostgreSQL keeps its data in ${first}`]);
    // A restart finds the same cluster.
    expect(await reachableClusterDir(wanted)).toBe(first);
    // Deleting the data folder means a fresh start: never the old cluster (old passwords, old data).
    rmSync(path.join(root, '.data'), { recursive: true });
    const afterDelete = await reachableClusterDir(wanted);
    expect(afterDelete).not.toBe(first);
    expect(path.dirname(afterDelete)).toBe('/var/tmp/llmo-postgres');
  });
});
