// A local state file that cannot be read back is moved aside (kept, owner-only) and reported, so a start never fails on it.
import { chmod, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../runtime/log.ts';
import { PRIVATE_FILE_MODE, type SyncDir, syncDir } from './private-fs.ts';

/** Options of {@link setAside}. */
export interface SetAsideOptions {
  logger: Logger;
  /** What the file holds, for the log line (e.g. "kept loader notification"). */
  what: string;
  /** Why it cannot be used (the parse error). */
  error: unknown;
  syncDir?: SyncDir;
  now?: () => Date;
}

/**
 * Renames `file` to `<name>.corrupt-<UTC timestamp>` in the same folder (0600, the folder synced), so
 * nothing is deleted and an operator can inspect or repair it; logs an error naming both paths.
 * Returns the new path.
 */
export async function setAside(file: string, options: SetAsideOptions): Promise<string> {
  const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[-:.]/g, '');
  const aside = `${file}.corrupt-${stamp}`;
  await rename(file, aside);
  await chmod(aside, PRIVATE_FILE_MODE);
  await (options.syncDir ?? syncDir)(path.dirname(file));
  options.logger.error(`unreadable ${options.what} moved aside; inspect it and repair or delete it by hand`, {
    file,
    moved_to: aside,
    error: options.error instanceof Error ? options.error.message : String(options.error),
  });
  return aside;
}
