// A corrupt kept notification or object sidecar is moved aside (kept, 0600) and logged; the start goes on with the rest.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { objectCreatedEvent } from '../../contract/index.ts';
import { createLogger } from '../../runtime/log.ts';
import { fileNotificationStore } from './firehose/pending-notifications.ts';
import { ObjectStore } from './s3/object-store.ts';

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-aside-'));
  made.push(dir);
  return dir;
}
function captured() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ service: 'test', write: (line) => lines.push(JSON.parse(line)) });
  return { lines, logger };
}
const modeOf = async (p: string) => (await stat(p)).mode & 0o777;
const event = (key: string) =>
  objectCreatedEvent({ region: 'us-east-1', bucket: 'b', key, size: 1, etag: 'e', at: new Date() });

describe('kept notifications', () => {
  it('a corrupt one is moved aside with its content and logged; the others are still listed', async () => {
    const dir = path.join(await tempDir(), 'notifications');
    const first = await fileNotificationStore(dir);
    const good = await first.save(event('good'));
    const torn = await first.save(event('torn'));
    const wrong = await first.save(event('wrong'));
    await writeFile(path.join(dir, torn), '{"Records":[{"s3"');
    await writeFile(path.join(dir, wrong), '[]');

    const { lines, logger } = captured();
    const restarted = await fileNotificationStore(dir, { logger });
    expect((await restarted.list()).map((p) => p.id)).toEqual([good]);

    const names = (await readdir(dir)).sort();
    const asideTorn = names.find((n) => n.startsWith(`${torn}.corrupt-`)) as string;
    const asideWrong = names.find((n) => n.startsWith(`${wrong}.corrupt-`)) as string;
    expect(names).toEqual([good, asideTorn, asideWrong].sort());
    expect(await readFile(path.join(dir, asideTorn), 'utf8')).toBe('{"Records":[{"s3"');
    expect(await modeOf(path.join(dir, asideTorn))).toBe(0o600);
    expect(lines.map((l) => [l.level, l.file, l.moved_to])).toEqual([
      ['error', path.join(dir, torn), path.join(dir, asideTorn)],
      ['error', path.join(dir, wrong), path.join(dir, asideWrong)],
    ]);
    // A file moved aside is not listed again at the next start.
    expect((await (await fileNotificationStore(dir, { logger })).list()).map((p) => p.id)).toEqual([good]);
    expect(lines).toHaveLength(2);
  });
});

describe('object metadata', () => {
  it('a corrupt sidecar is moved aside and logged; the bucket loads without it and its data is kept', async () => {
    const root = path.join(await tempDir(), 's3');
    const first = new ObjectStore(root);
    await first.createBucket('landing');
    await first.put('landing', 'a.gz', Buffer.from('a'), {});
    await first.put('landing', 'b.gz', Buffer.from('b'), {});
    const metaDir = path.join(root, 'landing/meta');
    const [broken, kept] = await readdir(metaDir);
    await writeFile(path.join(metaDir, broken as string), '');

    const { lines, logger } = captured();
    const restarted = new ObjectStore(root, { logger });
    const listed = await restarted.list('landing', '');
    expect(listed).toHaveLength(1);
    expect(await readdir(path.join(root, 'landing/objects'))).toHaveLength(2);
    const names = await readdir(metaDir);
    const aside = names.find((n) => n.startsWith(`${broken}.corrupt-`)) as string;
    expect(names.sort()).toEqual([kept, aside].sort());
    expect(await modeOf(path.join(metaDir, aside))).toBe(0o600);
    expect(lines).toMatchObject([
      { level: 'error', file: path.join(metaDir, broken as string), moved_to: path.join(metaDir, aside) },
    ]);
    // New objects still land, and the next start loads without another error.
    await restarted.put('landing', 'c.gz', Buffer.from('c'), {});
    expect(await new ObjectStore(root, { logger }).list('landing', '')).toHaveLength(2);
    expect(lines).toHaveLength(1);
  });
});
