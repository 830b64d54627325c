// The record journal: appends are on disk when they resolve, sealed segments are forgotten on release, torn tails are dropped.
import { readdirSync } from 'node:fs';
import { appendFile, type FileHandle, mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { objectCreatedEvent } from '../../../contract/index.ts';
import { syncDir } from '../private-fs.ts';
import { fileNotificationStore } from './pending-notifications.ts';
import {
  memoryJournal,
  openFileJournal,
  parseSegment,
  type RecordJournal,
  type SealedSegment,
} from './record-journal.ts';

const made: string[] = [];
const journals: RecordJournal[] = [];
afterEach(async () => {
  for (const journal of journals.splice(0)) await journal.close();
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});
/** Opens a journal that the test closes afterwards (closing keeps the current segment on disk). */
async function journalAt(dir: string): Promise<RecordJournal> {
  const journal = await openFileJournal({ dir });
  journals.push(journal);
  return journal;
}
/** Reads every segment a previous run left (recovery reads them one at a time; tests want them all). */
async function recoverAll(journal: RecordJournal): Promise<SealedSegment[]> {
  const out: SealedSegment[] = [];
  for (const leftover of await journal.recover()) {
    const segment = await leftover.load();
    if (segment) out.push(segment);
  }
  return out;
}
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-journal-'));
  made.push(dir);
  return path.join(dir, 'records');
}
const texts = (chunks: Buffer[]) => chunks.map((c) => c.toString());
const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

describe('file journal', () => {
  it('recovers after a crash every append that resolved, in order, and keeps files owner-only', async () => {
    const dir = await tempDir();
    const journal = await journalAt(dir);
    // Concurrent appends share writes; each resolves only when written.
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((x) => journal.append([Buffer.from(x), Buffer.from(`${x}2`)])),
    );
    expect(journal.bytes).toBe(12);
    const [file] = await readdir(dir);
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(path.join(dir, file as string))).toBe(0o600);

    const reopened = await journalAt(dir);
    const [segment, ...more] = await recoverAll(reopened);
    expect(more).toEqual([]);
    expect(texts(segment?.chunks ?? [])).toEqual(['a', 'a2', 'b', 'b2', 'c', 'c2', 'd', 'd2']);
    await segment?.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('seals segments in order; a released one is gone, an unreleased one comes back', async () => {
    const dir = await tempDir();
    const journal = await journalAt(dir);
    await journal.append([Buffer.from('one')]);
    const first = await journal.seal();
    await journal.append([Buffer.from('two')]);
    const second = await journal.seal();
    expect(await journal.seal()).toBeUndefined();
    expect(texts(first?.chunks ?? [])).toEqual(['one']);
    expect(texts(second?.chunks ?? [])).toEqual(['two']);
    await first?.release();
    const recovered = await recoverAll(await journalAt(dir));
    expect(recovered.map((s) => texts(s.chunks))).toEqual([['two']]);
  });

  it('a seal queued behind appends includes them', async () => {
    const journal = await journalAt(await tempDir());
    const appended = journal.append([Buffer.from('x')]);
    const sealed = journal.seal();
    await appended;
    expect(texts((await sealed)?.chunks ?? [])).toEqual(['x']);
  });

  it('drops a torn last frame (a write the crash interrupted, never acknowledged)', async () => {
    const dir = await tempDir();
    const journal = await journalAt(dir);
    await journal.append([Buffer.from('whole')]);
    const [file] = await readdir(dir);
    await appendFile(path.join(dir, file as string), Buffer.from([0, 0, 0, 9, 0x61, 0x62]));
    const [segment] = await recoverAll(await journalAt(dir));
    expect(texts(segment?.chunks ?? [])).toEqual(['whole']);
    expect(parseSegment(Buffer.from([0, 0]))).toEqual([]);
  });

  it('new appends after a reopen go to a new segment, not into a recovered one', async () => {
    const dir = await tempDir();
    await (await journalAt(dir)).append([Buffer.from('old')]);
    const reopened = await journalAt(dir);
    await reopened.append([Buffer.from('new')]);
    const recovered = await recoverAll(reopened);
    expect(recovered.map((s) => texts(s.chunks))).toEqual([['old']]);
    expect(texts((await reopened.seal())?.chunks ?? [])).toEqual(['new']);
  });
});

/**
 * A folder sync that notes what the folder held when it was synced and whether `done()` was already
 * true: the names a power loss could otherwise take (only a real fsync makes them durable; it runs too).
 */
function observedSync(done: () => boolean) {
  const calls: Array<{ dir: string; names: string[]; after: boolean }> = [];
  return {
    calls,
    syncDir: async (dir: string) => {
      calls.push({ dir, names: readdirSync(dir), after: done() });
      await syncDir(dir);
    },
  };
}

describe('a failed write', () => {
  it('that could not be cut off leaves its torn frame last in its file: later appends go to the next file, all recovered', async () => {
    const dir = await tempDir();
    let failNext = false;
    // A disk that fails one write half-way and then refuses to truncate (a fault no real stand-in gives on demand).
    const openFile = async (file: string, flags: string, mode: number): Promise<FileHandle> => {
      const handle = await open(file, flags, mode);
      return new Proxy(handle, {
        get(target, prop) {
          if (prop === 'writev' && failNext) {
            return async (buffers: Buffer[]) => {
              failNext = false;
              await target.write(Buffer.concat(buffers).subarray(0, 6));
              throw new Error('EIO: write failed');
            };
          }
          if (prop === 'truncate') return async () => Promise.reject(new Error('EIO: truncate failed'));
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    };
    const journal = await openFileJournal({ dir, openFile });
    journals.push(journal);
    await journal.append([Buffer.from('before')]);
    failNext = true;
    await expect(journal.append([Buffer.from('never acknowledged')])).rejects.toThrow('EIO');
    await journal.append([Buffer.from('after')]);
    expect((await readdir(dir)).sort()).toHaveLength(2);
    await journal.close();

    // A crash now: every acknowledged record comes back, the unacknowledged one does not.
    const reopened = await journalAt(dir);
    const recovered = (await recoverAll(reopened)).flatMap((segment) => texts(segment.chunks));
    expect(recovered).toEqual(['before', 'after']);
  });

  it('releasing the sealed segment forgets every file it spans', async () => {
    const dir = await tempDir();
    let failNext = true;
    const journal = await openFileJournal({
      dir,
      openFile: async (file, flags, mode) => {
        const handle = await open(file, flags, mode);
        return new Proxy(handle, {
          get(target, prop) {
            if (prop === 'writev' && failNext) {
              return async () => {
                failNext = false;
                await target.write(Buffer.from([0, 0, 0, 9, 1]));
                throw new Error('EIO');
              };
            }
            if (prop === 'truncate') return async () => Promise.reject(new Error('EIO'));
            const value = Reflect.get(target, prop, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      },
    });
    journals.push(journal);
    await expect(journal.append([Buffer.from('lost')])).rejects.toThrow('EIO');
    await journal.append([Buffer.from('kept')]);
    const sealed = await journal.seal();
    expect(texts(sealed?.chunks ?? [])).toEqual(['kept']);
    await sealed?.release();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('durable names', () => {
  it('syncs the folder after creating a segment file, before the append resolves', async () => {
    const dir = await tempDir();
    let resolved = false;
    const observed = observedSync(() => resolved);
    const journal = await openFileJournal({ dir, syncDir: observed.syncDir });
    journals.push(journal);
    await journal.append([Buffer.from('one')]).then(() => {
      resolved = true;
    });
    const [file] = await readdir(dir);
    expect(observed.calls).toContainEqual({ dir, names: [file], after: false });
    // The next segment is a new name: synced again before its first append resolves.
    await journal.seal();
    resolved = false;
    await journal.append([Buffer.from('two')]).then(() => {
      resolved = true;
    });
    const names = await readdir(dir);
    expect(names).toHaveLength(2);
    expect(observed.calls.filter((c) => c.dir === dir && !c.after).map((c) => c.names)).toEqual([
      [file],
      names,
    ]);
  });

  it('syncs the notification folder after the rename, before save resolves', async () => {
    const dir = path.join(path.dirname(await tempDir()), 'notifications');
    let resolved = false;
    const observed = observedSync(() => resolved);
    const store = await fileNotificationStore(dir, { syncDir: observed.syncDir });
    const id = await store.save(
      objectCreatedEvent({ region: 'us-east-1', bucket: 'b', key: 'k', size: 1, etag: 'e', at: new Date() }),
    );
    resolved = true;
    expect(observed.calls).toEqual([{ dir, names: [id], after: false }]);
  });
});

describe('memory journal', () => {
  it('seals what was appended and recovers nothing', async () => {
    const journal = memoryJournal();
    await journal.append([Buffer.from('m')]);
    expect(texts((await journal.seal())?.chunks ?? [])).toEqual(['m']);
    expect(await journal.recover()).toEqual([]);
  });
});

describe('pending notifications', () => {
  it('lists what was saved and not removed, oldest first, as 0600 files', async () => {
    const dir = await tempDir();
    const store = await fileNotificationStore(dir);
    const event = (key: string) => ({ Records: [{ s3: { object: { key } } }] }) as never;
    const a = await store.save(event('a'));
    await store.save(event('b'));
    expect(await modeOf(path.join(dir, a))).toBe(0o600);
    await store.remove(a);
    const again = await fileNotificationStore(dir);
    expect((await again.list()).map((p) => p.event.Records[0]?.s3.object.key)).toEqual(['b']);
  });
});
