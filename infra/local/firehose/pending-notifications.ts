// Notifications of landed objects not yet taken by the loader, kept on disk so a stopped or crashed loader still gets them.
import { randomUUID } from 'node:crypto';
import { readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { S3EventNotification } from '../../../contract/index.ts';
import { privateDir, type SyncDir, syncDir, writeFileDurably } from '../private-fs.ts';

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

/**
 * One 0600 JSON file per notification in a 0700 folder, written to a temporary name, synced, renamed and
 * the folder synced (the journal forgets the records right after), so a listed file is always whole and
 * a saved one survives a power loss. Names start with the time saved, so listing them sorted is oldest first.
 */
export async function fileNotificationStore(
  dir: string,
  options: { syncDir?: SyncDir } = {},
): Promise<PendingNotifications> {
  await privateDir(dir);
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
        out.push({
          id,
          event: JSON.parse(await readFile(path.join(dir, id), 'utf8')) as S3EventNotification,
        });
      }
      return out;
    },
  };
}
