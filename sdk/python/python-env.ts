// Repository-side helpers for running the Python SDK from TypeScript tests and benchmarks (not shipped).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** sdk/python, the SDK's package root. */
export const SDK_DIR = path.resolve(import.meta.dirname);

/** The SDK's virtualenv interpreter made by `npm run setup`, else `python3` from PATH. */
export function sdkPython(): string {
  const venv = path.join(SDK_DIR, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

/** Result of one Python run. */
export type PythonRun = { code: number | null; stdout: string; stderr: string };

/** Runs the SDK's Python with `args` in sdk/python (so `import llm_observer` is the working tree). */
export function runPython(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(sdkPython(), args, {
      cwd: SDK_DIR,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
