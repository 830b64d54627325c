// A child left behind by a killed run is stopped at the next start; a pid reused by another process is not (spawns real process groups).
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetChild, recordChild, stillRunning, stopLeftovers } from './leftovers.ts';

const made: string[] = [];
const pids: number[] = [];
afterEach(async () => {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already stopped
    }
  }
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-leftovers-'));
  made.push(dir);
  return dir;
}

/** A process group as `next start` makes one: a leader with a child of its own. */
function orphanGroup(): number {
  const child = spawn('sh', ['-c', 'sleep 300 & wait'], { detached: true, stdio: 'ignore' });
  child.unref();
  pids.push(child.pid as number);
  return child.pid as number;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('leftover children', () => {
  it('stops the whole group a killed run left behind, says which, and forgets the pid file', async () => {
    const dir = await dataDir();
    const pid = orphanGroup();
    await recordChild(dir, 'web', { pid, group: true });
    expect((await stat(path.join(dir, 'pids', 'web.json'))).mode & 0o777).toBe(0o600);
    const stopped = await stopLeftovers(dir);
    expect(stopped).toMatchObject([{ name: 'web', pid, group: true }]);
    expect(groupAlive(pid)).toBe(false);
    expect(await readdir(path.join(dir, 'pids'))).toEqual([]);
  });

  it('leaves a process alone when the recorded pid now belongs to another process (another start time)', async () => {
    const dir = await dataDir();
    const pid = orphanGroup();
    await recordChild(
      dir,
      'web',
      { pid, group: true },
      {
        startTimeOf: async () => '1',
        cmdlineOf: async () => 'node next start',
        kill: process.kill,
        sleep: async () => undefined,
      },
    );
    expect(await stopLeftovers(dir)).toEqual([]);
    expect(groupAlive(pid)).toBe(true);
  });

  it('does nothing for a child that was stopped normally', async () => {
    const dir = await dataDir();
    const pid = orphanGroup();
    await recordChild(dir, 'web', { pid, group: true });
    await forgetChild(dir, 'web');
    expect(await stopLeftovers(dir)).toEqual([]);
    expect(groupAlive(pid)).toBe(true);
  });

  it('knows a recorded stack that still runs (a second start on the same data folder must not reap its children)', async () => {
    const dir = await dataDir();
    await recordChild(dir, 'stack', { pid: process.pid, group: false });
    expect(await stillRunning(dir, 'stack')).toMatchObject({ pid: process.pid });
    const pid = orphanGroup();
    await recordChild(dir, 'gone', { pid, group: true });
    process.kill(-pid, 'SIGKILL');
    await expect.poll(() => stillRunning(dir, 'gone')).toBeUndefined();
  });
});
