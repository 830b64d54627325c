// Benchmark server processes: start `server.ts <role>` as its own Node process and read its CPU time.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import * as v from 'valibot';
import { parseEnv } from '../../runtime/env.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Extra Node flags for every server process (experiments only, e.g. `--cpu-prof`). */
const NODE_FLAGS = parseEnv(v.object({ BENCH_NODE_FLAGS: v.optional(v.string(), '') }))
  .BENCH_NODE_FLAGS.split(' ')
  .filter(Boolean);

/** Every started server process (stop them with `stopChildren`), and their pids by name. */
export const children: ChildProcess[] = [];
export const pids: Record<string, number> = {};

/** CPU time (user + system) of a process so far, in µs, from /proc (Linux). */
export function cpuMicros(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * (1_000_000 / 100);
  } catch {
    return Number.NaN;
  }
}

/** Starts `server.ts <role>` in its own process (known as `name`) and waits for its URL. */
export async function child(role: string, env: Record<string, string> = {}, name = role): Promise<string> {
  const proc = spawn(
    process.execPath,
    [...NODE_FLAGS, '--no-warnings', '--import', 'tsx', path.join(import.meta.dirname, 'server.ts'), role],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(proc);
  if (proc.pid !== undefined) pids[name] = proc.pid;
  const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith('{"url"')) return (JSON.parse(line) as { url: string }).url;
  }
  throw new Error(`${role} server exited before listening`);
}

/** Stops every server process. */
export function stopChildren(): void {
  for (const c of children) c.kill('SIGTERM');
}
