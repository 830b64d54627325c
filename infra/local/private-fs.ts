// Local state is every tenant's telemetry: folders only the owner can enter (0700), files only the owner can read (0600), made durable before they are relied on.
import { chmod, mkdir, open, rename, stat } from 'node:fs/promises';
import path from 'node:path';

/** Mode of every file the local stack writes under the data folder. */
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) as 0700; an existing folder from an older run is narrowed to 0700 too. */
export async function privateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/** Makes a folder's entries durable (fsync of the folder itself; injectable so tests can observe it). */
export type SyncDir = (dir: string) => Promise<void>;

/**
 * fsync of `dir`: a file created, renamed or unlinked in it survives a power loss only after this
 * (fsync of the file covers its data, not its name — fsync(2)).
 */
export const syncDir: SyncDir = async (dir) => {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/**
 * Writes `data` as `file` so that a reader (after any crash) sees either nothing or all of it, and it is
 * durable when this resolves: a 0600 temporary beside it, synced, renamed over `file`, then the folder synced.
 */
export async function writeFileDurably(
  file: string,
  data: string | Buffer,
  sync: SyncDir = syncDir,
): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await open(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await sync(dir);
}

/**
 * Appends `text` to `file` (created 0600) and makes it durable before resolving: the data synced and,
 * when this append created the file, its folder too.
 */
export async function appendDurably(file: string, text: string, sync: SyncDir = syncDir): Promise<void> {
  const existed = await stat(file).then(
    () => true,
    () => false,
  );
  const handle = await open(file, 'a', PRIVATE_FILE_MODE);
  try {
    await handle.appendFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  if (!existed) await sync(path.dirname(file));
}
