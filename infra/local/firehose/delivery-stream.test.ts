// Object keys are named as Firehose names them; records are concatenated as given; a crash loses nothing acknowledged.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { objectCreatedEvent, type S3EventNotification } from '../../../contract/index.ts';
import {
  BackpressureError,
  DeliveryStream,
  type DeliveryStreamOptions,
  objectKeyFor,
} from './delivery-stream.ts';
import { fileNotificationStore } from './pending-notifications.ts';
import { openFileJournal, type RecordJournal } from './record-journal.ts';

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('objectKeyFor', () => {
  it('is YYYY/MM/dd/HH/<stream>-1-<yyyy-MM-dd-HH-mm-ss>-<uuid>.gz in UTC', () => {
    const key = objectKeyFor('llmo-events', new Date('2026-03-04T05:06:07.890Z'));
    expect(key).toMatch(/^2026\/03\/04\/05\/llmo-events-1-2026-03-04-05-06-07-[0-9a-f-]{36}\.gz$/);
  });
});

/** A landing store and notification log in memory, as the stream's `land` and `notify` see them. */
function sinks() {
  const landed = new Map<string, string>();
  const notified: string[] = [];
  return {
    landed,
    notified,
    land: async (key: string, body: Buffer) => {
      landed.set(key, gunzipSync(body).toString());
      return { etag: key };
    },
    notify: async (event: S3EventNotification) => void notified.push(event.Records[0]?.s3.object.key ?? ''),
  };
}

const base = { name: 's', bucket: 'b', region: 'us-east-1', bufferBytes: 1 << 20, bufferIntervalMs: 60_000 };

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const journal of open.splice(0)) await journal.close();
});

async function durable(
  dir: string,
  options: Partial<DeliveryStreamOptions> & Pick<DeliveryStreamOptions, 'land'>,
): Promise<DeliveryStream> {
  const journal = await openFileJournal({ dir: path.join(dir, 'records') });
  open.push(journal);
  return new DeliveryStream({
    ...base,
    ...options,
    journal,
    pending: await fileNotificationStore(path.join(dir, 'notifications')),
  });
}

describe('DeliveryStream', () => {
  it('flushes at the size hint, concatenating record data unchanged, then notifies', async () => {
    const out = sinks();
    const stream = new DeliveryStream({ ...base, bufferBytes: 10, land: out.land, notify: out.notify });
    await stream.append([Buffer.from('{"a":1}\n')]);
    await stream.append([Buffer.from('{"b":2}\n')]);
    await stream.drain();
    expect([...out.landed.values()]).toEqual(['{"a":1}\n{"b":2}\n']);
    expect(out.notified).toHaveLength(1);
    await stream.stop();
  });

  it('delivers after a restart what was acknowledged but never landed (the process died)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-stream-'));
    made.push(dir);
    const first = sinks();
    const crashed = await durable(dir, { land: first.land, notify: first.notify });
    await crashed.append([Buffer.from('{"a":1}\n'), Buffer.from('{"b":2}\n')]);
    await crashed.append([Buffer.from('{"c":3}\n')]);
    // No flush, no stop: as after kill -9, only the journal on disk remains.
    expect(first.landed.size).toBe(0);

    const second = sinks();
    const restarted = await durable(dir, { land: second.land, notify: second.notify });
    expect(await restarted.recover()).toMatchObject({ segments: 1, notifications: 0 });
    expect(await restarted.drain()).toBe(true);
    expect([...second.landed.values()]).toEqual(['{"a":1}\n{"b":2}\n{"c":3}\n']);
    expect(second.notified).toEqual([...second.landed.keys()]);
    expect(await readdir(path.join(dir, 'records'))).toEqual([]);
    expect(await readdir(path.join(dir, 'notifications'))).toEqual([]);

    // Delivered once: a third start finds nothing to redeliver.
    const third = await durable(dir, sinks());
    expect(await third.recover()).toEqual({ segments: 0, notifications: 0, bytes: 0 });
  });

  it('keeps a landed object’s notification until the loader took it, across a restart, without landing again', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-stream-'));
    made.push(dir);
    const first = sinks();
    const refusing = await durable(dir, {
      land: first.land,
      notify: async () => {
        throw new Error('loader stopped');
      },
    });
    await refusing.append([Buffer.from('{"a":1}\n')]);
    expect(await refusing.stop(300)).toBe(false);
    expect(first.landed.size).toBe(1);

    const second = sinks();
    const restarted = await durable(dir, { land: second.land, notify: second.notify });
    expect(await restarted.recover()).toMatchObject({ segments: 0, notifications: 1 });
    expect(await restarted.drain()).toBe(true);
    expect(second.landed.size).toBe(0);
    expect(second.notified).toEqual([...first.landed.keys()]);
    expect(await readdir(path.join(dir, 'notifications'))).toEqual([]);
  });

  it('refuses appends past maxUnlandedBytes while landing fails, takes them again once it caught up', async () => {
    const out = sinks();
    let down = true;
    const changes: Array<[boolean, number]> = [];
    const stream = new DeliveryStream({
      ...base,
      bufferBytes: 8,
      maxUnlandedBytes: 24,
      land: async (key, body) => {
        if (down) throw new Error('S3 down');
        return out.land(key, body);
      },
      notify: out.notify,
      onBackpressure: (refusing, bytes) => changes.push([refusing, bytes]),
    });
    // Each append seals a segment that cannot land: they wait in memory, up to the bound.
    for (const n of [1, 2, 3]) await stream.append([Buffer.from(`{"n":${n}}\n`)]);
    expect(stream.unlandedBytes).toBe(24);
    const refused = stream.append([Buffer.from('{"n":4}\n')]);
    await expect(refused).rejects.toBeInstanceOf(BackpressureError);
    await expect(refused).rejects.toMatchObject({ unlandedBytes: 24 });
    await expect(stream.append([Buffer.from('{"n":5}\n')])).rejects.toBeInstanceOf(BackpressureError);
    expect(changes).toEqual([[true, 24]]);

    down = false;
    expect(await stream.drain()).toBe(true);
    expect(stream.unlandedBytes).toBe(0);
    await stream.append([Buffer.from('{"n":6}\n')]);
    expect(changes).toEqual([
      [true, 24],
      [false, 0],
    ]);
    await stream.drain();
    // Everything taken landed once; nothing refused did.
    expect([...out.landed.values()].sort()).toEqual(['{"n":1}\n', '{"n":2}\n', '{"n":3}\n', '{"n":6}\n']);
    await stream.stop();
  });

  it('a loader that refuses notifications does not hold back intake: landed bytes stop counting', async () => {
    const out = sinks();
    const stream = new DeliveryStream({
      ...base,
      bufferBytes: 8,
      maxUnlandedBytes: 8,
      land: out.land,
      notify: async () => {
        throw new Error('loader down');
      },
    });
    for (const n of [1, 2, 3]) {
      // Taken although the bound is one call: the objects before it landed (their notifications retry).
      await stream.append([Buffer.from(`{"n":${n}}\n`)]);
      while (stream.unlandedBytes > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(out.landed.size).toBe(3);
    expect(await stream.stop(100)).toBe(false);
  });

  it('recovers without a burst: leftover segments read and landed one at a time, notifications at most 2 at once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-stream-'));
    made.push(dir);
    // What a killed run left: five kept notifications and three sealed, never landed segments.
    const kept = await fileNotificationStore(path.join(dir, 'notifications'));
    for (const n of [1, 2, 3, 4, 5]) {
      await kept.save(
        objectCreatedEvent({
          region: 'us-east-1',
          bucket: 'b',
          key: `old-${n}`,
          size: 1,
          etag: 'e',
          at: new Date(),
        }),
      );
    }
    const left = await openFileJournal({ dir: path.join(dir, 'records') });
    for (const n of [1, 2, 3]) {
      await left.append([Buffer.from(`{"n":${n}}\n`)]);
      await left.seal();
    }
    await left.close();

    // The restarted journal, counting segments read and not yet released (held in memory).
    const journal = await openFileJournal({ dir: path.join(dir, 'records') });
    open.push(journal);
    let held = 0;
    let maxHeld = 0;
    const counting: RecordJournal = {
      append: (records) => journal.append(records),
      get bytes() {
        return journal.bytes;
      },
      seal: () => journal.seal(),
      close: () => journal.close(),
      recover: async () =>
        (await journal.recover()).map((leftover) => ({
          fileBytes: leftover.fileBytes,
          load: async () => {
            const segment = await leftover.load();
            if (!segment) return undefined;
            maxHeld = Math.max(maxHeld, ++held);
            const release = async () => {
              await segment.release();
              held--;
            };
            return { ...segment, release };
          },
        })),
    };
    const yields = async (n: number) => {
      for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    const out = sinks();
    let landing = 0;
    let maxLanding = 0;
    let notifying = 0;
    let maxNotifying = 0;
    const restarted = new DeliveryStream({
      ...base,
      journal: counting,
      pending: await fileNotificationStore(path.join(dir, 'notifications')),
      land: async (key, body) => {
        maxLanding = Math.max(maxLanding, ++landing);
        await yields(5);
        landing--;
        return out.land(key, body);
      },
      notify: async (event) => {
        maxNotifying = Math.max(maxNotifying, ++notifying);
        await yields(5);
        notifying--;
        await out.notify(event);
      },
    });
    expect(await restarted.recover()).toMatchObject({ notifications: 5, segments: 3 });
    expect(await restarted.drain()).toBe(true);
    expect([...out.landed.values()].sort()).toEqual(['{"n":1}\n', '{"n":2}\n', '{"n":3}\n']);
    expect(out.notified.sort()).toEqual(
      [...['old-1', 'old-2', 'old-3', 'old-4', 'old-5'], ...out.landed.keys()].sort(),
    );
    expect({ maxHeld, maxLanding, maxNotifying }).toEqual({ maxHeld: 1, maxLanding: 1, maxNotifying: 2 });
    expect(await readdir(path.join(dir, 'records'))).toEqual([]);
    expect(await readdir(path.join(dir, 'notifications'))).toEqual([]);
  });
});
