// Notifications of landed objects not yet taken by the loader, kept on disk so a stopped or crashed loader still gets them.
import { randomUUID } from 'node:crypto';
import { readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { S3EventNotification } from '../../../contract/index.ts';
import { createLogger, type Logger } from '../../../runtime/log.ts';
import { privateDir, type SyncDir, syncDir, writeFileDurably } from '../private-fs.ts';
import { setAside } from '../set-aside.ts';

/** One notification waiting for its consumer. */
export interface PendingNotification {
  id: string;
  event: S3EventNotification;
}

/** Where notifications wait until `notify` took them. */
export interface PendingNotifications {
  /** Keeps `event` durably; resolves with its id. */
  save(event: S3EventNotification): Promise<string>;
  /** Forgets a delivered notification. */
  remove(id: string): Promise<void>;
  /** What a previous run left undelivered, oldest first. */
  list(): Promise<PendingNotification[]>;
}

/** Without a data folder (tests, benchmarks): nothing is kept. */
export const NO_PENDING_STORE: PendingNotifications = {
  save: async () => '',
  remove: async () => undefined,
  list: async () => [],
};

const NAME = /^\d{13}-[0-9a-f-]{36}\.json$/;

/** Parses a kept notification; throws when it is not JSON or not an S3 event with an object key. */
function parseEvent(text: string): S3EventNotification {
  const event = JSON.parse(text) as S3EventNotification | null;
  if (typeof event?.Records?.[0]?.s3?.object?.key !== 'string') {
    throw new Error('not an S3 event notification');
  }
  return event;
}

/**
 * One 0600 JSON file per notification in a 0700 folder, written to a temporary name, synced, renamed and
 * the folder synced (the journal forgets the records right after), so a listed file is always whole and
 * a saved one survives a power loss. Names start with the time saved, so listing them sorted is oldest first.
 * A file that cannot be read back (a disk fault, a hand edit) is moved aside as `<name>.corrupt-<time>`
 * and logged as an error; the others are still listed.
 */
export async function fileNotificationStore(
  dir: string,
  options: { syncDir?: SyncDir; logger?: Logger } = {},
): Promise<PendingNotifications> {
  await privateDir(dir);
  const logger = options.logger ?? createLogger({ service: 'firehose' });
  return {
    async save(event) {
      const id = `${String(Date.now()).padStart(13, '0')}-${randomUUID()}.json`;
      await writeFileDurably(path.join(dir, id), JSON.stringify(event), options.syncDir ?? syncDir);
      return id;
    },
    remove: (id) => unlink(path.join(dir, id)).catch(() => undefined),
    async list() {
      const names = (await readdir(dir)).filter((name) => NAME.test(name)).sort();
      const out: PendingNotification[] = [];
      for (const id of names) {
        const file = path.join(dir, id);
        const text = await readFile(file, 'utf8');
        try {
          out.push({ id, event: parseEvent(text) });
        } catch (error) {
          await setAside(file, {
            logger,
            what: 'kept loader notification',
            error,
            ...(options.syncDir ? { syncDir: options.syncDir } : {}),
          });
        }
      }
      return out;
    },
  };
}
