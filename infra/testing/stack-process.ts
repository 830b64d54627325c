// Runs `npm start` as a user would (own data dir, free ports) for e2e tests, and stops it like Ctrl-C.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { StackInfo } from '../local/context.ts';
import { stopLeftovers } from '../local/leftovers.ts';
import { freePort } from './free-port.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PORTS = ['WEB', 'API', 'INGEST', 'ISSUER', 'FIREHOSE', 'S3', 'DYNAMODB', 'POSTGRES'] as const;

/** A local stack in its own data dir and ports; start/stop may be called repeatedly (restart). */
export class StackProcess {
  env: NodeJS.ProcessEnv = {};
  dataDir = '';
  /** Every line the stack printed on stdout, across restarts (the log-shape test reads them). */
  stdoutLines: string[] = [];
  private child: ChildProcess | undefined;

  /** Creates the data dir and picks free ports; the stack brings its own PostgreSQL. */
  async prepare(): Promise<this> {
    this.dataDir = await mkdtemp(path.join(os.tmpdir(), 'llmo-stack-'));
    // Reachable by the postgres user (see infra/local/postgres.ts), so the cluster stays inside.
    await chmod(this.dataDir, 0o755);
    this.env = { ...process.env, LLMO_DATA_DIR: this.dataDir };
    for (const name of PORTS) this.env[`LLMO_${name}_PORT`] = String(await freePort());
    delete this.env.DATABASE_URL;
    return this;
  }

  /** The port given to one part, e.g. `port('S3')`. */
  port(name: (typeof PORTS)[number]): number {
    return Number(this.env[`LLMO_${name}_PORT`]);
  }

  /** Runs `npm start`; resolves with stack.json once the stack says it is running. */
  async start(): Promise<StackInfo> {
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    let output = '';
    let partial = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      this.stdoutLines.push(...lines);
    });
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Press Ctrl-C to stop.')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`stack exited with ${code}:\n${output.slice(-4000)}`)));
    });
    return JSON.parse(await readFile(path.join(this.dataDir, 'stack.json'), 'utf8')) as StackInfo;
  }

  /**
   * Sends SIGINT to the whole process group, as Ctrl-C in a terminal does (`times` deliveries back to
   * back: a terminal and a forwarding parent), and waits until every process of the group (npm, the
   * stack) has gone; PostgreSQL and the dashboard run outside the group and are stopped by the stack.
   * npm re-raises the signal when it exits, so a clean stop reads '0' or 'SIGINT'; 'still running'
   * means something of the group was left behind.
   */
  async stop(options: { times?: number } = {}): Promise<string> {
    return this.signalGroup('SIGINT', options.times ?? 1);
  }

  /**
   * kill -9 of the whole process group (npm, the stack); waits until it has gone. PostgreSQL and the
   * dashboard, outside the group, survive it as after a real kill -9: the next start (or destroy()) stops them.
   */
  async kill(): Promise<string> {
    return this.signalGroup('SIGKILL', 1);
  }

  private async signalGroup(signal: NodeJS.Signals, times: number): Promise<string> {
    const child = this.child;
    if (!child?.pid) return 'not started';
    const pid = child.pid;
    const exited =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve(String(child.exitCode ?? child.signalCode))
        : new Promise<string>((resolve) =>
            child.once('exit', (code, signal) => resolve(String(code ?? signal))),
          );
    for (let i = 0; i < times; i++) {
      try {
        process.kill(-pid, signal);
      } catch {
        // the group is already gone
      }
    }
    const status = await exited;
    for (let i = 0; i < 300 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    return groupAlive(pid) ? 'still running' : status;
  }

  /** Runs `npm run <script> -- args` with the stack's environment; resolves with stdout and the exit code. */
  async npmRun(script: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
    const child = spawn('npm', ['run', script, '--', ...args], { cwd: ROOT, env: this.env });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stdout };
  }

  /** Stops the stack if running and deletes its data dir. */
  async destroy(): Promise<void> {
    await this.stop();
    // A run ended by kill() and not restarted leaves the dashboard (its own process group) behind.
    if (this.dataDir) await stopLeftovers(this.dataDir);
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
