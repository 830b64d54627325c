// Local state is every tenant's telemetry: folders only the owner can enter (0700), files only the owner can read (0600).
import { chmod, mkdir } from 'node:fs/promises';

/** Mode of every file the local stack writes under the data folder. */
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) as 0700; an existing folder from an older run is narrowed to 0700 too. */
export async function privateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}
