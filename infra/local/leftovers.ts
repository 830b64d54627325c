// Pid files of the stack's long-lived children in the data folder, so a start after a kill -9 stops what the killed run left behind.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE, privateDir } from './private-fs.ts';

/** What a pid file records about one child. */
export interface ChildRecord {
  pid: number;
  /** True when the child leads its own process group (the whole group is stopped). */
  group: boolean;
  /**
   * When it started (/proc/<pid>/stat field 22, clock ticks since boot): a pid reused by another
   * process has another start time and is left alone. (Not the command line: Next.js retitles itself.)
   */
  started: string;
  /** Its command line at start, for the log. */
  cmdline: string;
  /** The signal that asks it to stop (SIGTERM unless it says otherwise, e.g. SIGINT for PostgreSQL). */
  signal?: NodeJS.Signals;
}

/** How leftovers are found and stopped; the defaults are the real /proc and signals (tests inject). */
export interface LeftoverDeps {
  startTimeOf(pid: number): Promise<string | undefined>;
  cmdlineOf(pid: number): Promise<string | undefined>;
  kill(pid: number, signal: NodeJS.Signals | 0): void;
  sleep(ms: number): Promise<void>;
}

const realDeps: LeftoverDeps = {
  startTimeOf: (pid) =>
    readFile(`/proc/${pid}/stat`, 'utf8').then(
      // After "pid (comm) ", field 22 is the 20th; comm may hold spaces, so split after its ')'.
      (text) => text.slice(text.lastIndexOf(')') + 2).split(' ')[19],
      () => undefined,
    ),
  cmdlineOf: (pid) =>
    readFile(`/proc/${pid}/cmdline`, 'utf8').then(
      (text) => text.replaceAll('\0', ' ').trim(),
      () => undefined,
    ),
  kill: (pid, signal) => process.kill(pid, signal),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const dirOf = (dataDir: string) => path.join(dataDir, 'pids');
const fileOf = (dataDir: string, name: string) => path.join(dirOf(dataDir), `${name}.json`);

/** Records a started child (`name`: e.g. `web`); 0600 in `<dataDir>/pids/`. */
export async function recordChild(
  dataDir: string,
  name: string,
  child: { pid: number; group: boolean; signal?: NodeJS.Signals },
  deps: LeftoverDeps = realDeps,
): Promise<void> {
  await privateDir(dirOf(dataDir));
  const record: ChildRecord = {
    ...child,
    started: (await deps.startTimeOf(child.pid)) ?? '',
    cmdline: (await deps.cmdlineOf(child.pid)) ?? '',
  };
  await writeFile(fileOf(dataDir, name), `${JSON.stringify(record)}\n`, { mode: PRIVATE_FILE_MODE });
}

/** Forgets a child that was stopped normally. */
export async function forgetChild(dataDir: string, name: string): Promise<void> {
  await rm(fileOf(dataDir, name), { force: true });
}

/** The recorded `name` process when it is still the same process (same pid and start time), else undefined. */
export async function stillRunning(
  dataDir: string,
  name: string,
  deps: LeftoverDeps = realDeps,
): Promise<ChildRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(fileOf(dataDir, name), 'utf8')) as ChildRecord;
    return record.started && (await deps.startTimeOf(record.pid)) === record.started ? record : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number, deps: LeftoverDeps): boolean {
  try {
    deps.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * For every pid file: when that pid is still the same process (same start time), stops it (its group, when it led
 * one): its stop signal first, SIGKILL after `graceMs`. Returns what it stopped; removes every pid file.
 */
export async function stopLeftovers(
  dataDir: string,
  options: { graceMs?: number } = {},
  deps: LeftoverDeps = realDeps,
): Promise<Array<ChildRecord & { name: string }>> {
  const stopped: Array<ChildRecord & { name: string }> = [];
  const names = await readdir(dirOf(dataDir)).catch(() => [] as string[]);
  for (const file of names.filter((n) => n.endsWith('.json'))) {
    const name = file.slice(0, -'.json'.length);
    let record: ChildRecord | undefined;
    try {
      record = JSON.parse(await readFile(path.join(dirOf(dataDir), file), 'utf8')) as ChildRecord;
    } catch {
      record = undefined;
    }
    if (
      record &&
      record.pid > 1 &&
      record.started &&
      (await deps.startTimeOf(record.pid)) === record.started
    ) {
      const target = record.group ? -record.pid : record.pid;
      const signal = (s: NodeJS.Signals) => {
        try {
          deps.kill(target, s);
        } catch {
          // gone meanwhile
        }
      };
      signal(record.signal ?? 'SIGTERM');
      const graceMs = options.graceMs ?? 5_000;
      for (let waited = 0; waited < graceMs && alive(target, deps); waited += 100) await deps.sleep(100);
      if (alive(target, deps)) signal('SIGKILL');
      for (let i = 0; i < 50 && alive(target, deps); i++) await deps.sleep(100);
      stopped.push({ ...record, name });
    }
    await rm(path.join(dirOf(dataDir), file), { force: true });
  }
  return stopped;
}
