// Key-flood benchmark: warm-key traffic and a never-seen key during a flood of unknown keys, per scenario.
// Usage: npx tsx benchmarks/keyflood/run.ts [--quick]   (loopback only; every phase stops by itself)
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_TUNING } from '../../edge/src/config.ts';
import { putTestKey, sampleEvent } from '../../edge/test/harness.ts';
import { quantile, runOpenLoop } from '../ingest/load.ts';

const quick = process.argv.includes('--quick');
const FLOOD_MS = quick ? 4_000 : 10_000;
const CONNECTIONS = 2_000;
const WARM_RATE = 100; // warm-key requests per second, open loop
const NEW_KEY_AFTER_MS = 1_000; // into the flood
const NEW_KEY_GIVE_UP_MS = quick ? 3_000 : 8_000;
const ROOT = path.resolve(import.meta.dirname, '../..');
const children = new Set<ChildProcess>();

interface Scenario {
  name: string;
  flood: 'none' | 'forged' | 'tagged';
  keyCache?: Record<string, number>;
  what: string;
}

const SCENARIOS: Scenario[] = [
  { name: 'no flood', flood: 'none', what: 'baseline: the same edge, no flood' },
  {
    name: 'forged flood',
    flood: 'forged',
    what: 'the attack: random prefixes with valid checksums, tags not made with the edge’s secret',
  },
  {
    name: 'tagged flood, bounded',
    flood: 'tagged',
    what: 'the tag secret leaked: every flood key passes the tag and needs a lookup (unknown prefixes)',
  },
  {
    name: 'tagged flood, unbounded',
    flood: 'tagged',
    keyCache: { maxConcurrentLookups: 1_000_000, maxQueuedLookups: 1_000_000 },
    what: 'as above with the lookup bounds switched off (every miss a DynamoDB read at once, as before)',
  },
];

/** Starts a Node child (`script` with `args`), returns it and its first JSON line with a `url`. */
async function start(script: string, args: string[], env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--no-warnings', '--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith('{')) return { proc, line: JSON.parse(line) as Record<string, unknown>, lines };
  }
  throw new Error(`${script} ${args.join(' ')} exited before answering`);
}

const server = (role: string, env: Record<string, string> = {}) =>
  start(path.join(ROOT, 'benchmarks/ingest/server.ts'), [role], env);

/** CPU time (user + system) of a process so far, in ms, from /proc (Linux). */
function cpuMs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Peak resident set (VmHWM) of a live process, in MiB. */
function peakRssMiB(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

const body = () => JSON.stringify({ events: [sampleEvent()] });

/** Tries a never-seen key until its first 202 (one attempt in flight, 50 ms apart); ms to that 202. */
async function timeToFirstAccept(url: string, key: string) {
  const started = performance.now();
  const statuses: Record<string, number> = {};
  while (performance.now() - started < NEW_KEY_GIVE_UP_MS) {
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body(),
      signal: AbortSignal.timeout(NEW_KEY_GIVE_UP_MS),
    }).catch(() => undefined);
    const status = res?.status ?? 0;
    await res?.arrayBuffer();
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 202) return { ms: performance.now() - started, statuses };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { ms: Number.NaN, statuses };
}

async function runScenario(s: Scenario, firehose: string, dynamo: string) {
  const edge = await server('ingest', {
    BENCH_FIREHOSE: firehose,
    BENCH_DYNAMO: dynamo,
    ...(s.keyCache ? { BENCH_KEY_CACHE: JSON.stringify(s.keyCache) } : {}),
  });
  const url = edge.line.url as string;
  const warm = await putTestKey(dynamo, 'llmo-api-keys');
  // Warm the key into the edge's cache.
  for (let i = 0; i < 3; i++)
    await (
      await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${warm.key}`, 'content-type': 'application/json' },
        body: body(),
      })
    ).arrayBuffer();
  const loadBefore = os.loadavg()[0];
  const edgeCpuBefore = cpuMs(edge.proc.pid);
  const flood =
    s.flood === 'none'
      ? undefined
      : start(path.join(import.meta.dirname, 'flood.ts'), [], {
          FLOOD_URL: `${url}/v1/events`,
          FLOOD_CONNECTIONS: String(CONNECTIONS),
          FLOOD_MS: String(FLOOD_MS),
          FLOOD_MODE: s.flood,
        }).catch((error: unknown) => ({ error }));
  // The flood process prints only at its end; give its connections a moment to open.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const warmRun = runOpenLoop({
    url: `${url}/v1/events`,
    headers: { authorization: `Bearer ${warm.key}`, 'content-type': 'application/json' },
    bodies: Array.from({ length: 16 }, () => Buffer.from(body())),
    rate: WARM_RATE,
    durationMs: FLOOD_MS - 1_000,
    maxInFlight: 256,
  });
  await new Promise((resolve) => setTimeout(resolve, NEW_KEY_AFTER_MS));
  const fresh = await putTestKey(dynamo, 'llmo-api-keys');
  const newKey = await timeToFirstAccept(url, fresh.key);
  const warmResult = await warmRun;
  const floodResult = flood ? await flood : undefined;
  const rss = peakRssMiB(edge.proc.pid);
  const edgeCpu = cpuMs(edge.proc.pid) - edgeCpuBefore;
  edge.proc.kill('SIGTERM');
  const accepted = warmResult.statuses['202'] ?? 0;
  const result = {
    scenario: s.name,
    what: s.what,
    warm: {
      sent: warmResult.scheduled,
      answered: warmResult.completed,
      accepted,
      acceptedShare: accepted / Math.max(1, warmResult.scheduled),
      p50: quantile(warmResult.latencies, 0.5),
      p99: quantile(warmResult.latencies, 0.99),
      max: quantile(warmResult.latencies, 1),
      statuses: warmResult.statuses,
      errors: warmResult.errors,
    },
    newKey,
    flood:
      floodResult && 'line' in floodResult
        ? { ...(floodResult.line as object), connections: CONNECTIONS }
        : floodResult
          ? { error: String((floodResult as { error: unknown }).error) }
          : undefined,
    edgePeakRssMiB: rss,
    edgeCpuMs: edgeCpu,
    load1Before: loadBefore,
  };
  process.stderr.write(`${JSON.stringify(result)}\n`);
  return result;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

async function main(): Promise<void> {
  const started = new Date();
  const dynamo = (await server('dynamo')).line.url as string;
  const firehose = (await server('firehose')).line.url as string;
  const results = [];
  for (const s of SCENARIOS) results.push(await runScenario(s, firehose, dynamo));
  for (const c of children) c.kill('SIGTERM');

  const rows = results.map((r) => {
    const f = r.flood as
      | { answered?: number; statuses?: Record<string, number>; durationMs?: number }
      | undefined;
    const floodRate =
      f?.answered !== undefined && f.durationMs ? f.answered / (f.durationMs / 1000) : Number.NaN;
    const cpuPerRequest = (r.edgeCpuMs * 1000) / Math.max(1, r.warm.answered + (f?.answered ?? 0) + 1);
    return `| ${r.scenario} | ${fmt(r.warm.acceptedShare * 100, 2)} % (${r.warm.accepted}/${r.warm.sent}) | ${fmt(r.warm.p50)} | ${fmt(r.warm.p99)} | ${fmt(r.newKey.ms, 0)} | ${JSON.stringify(r.newKey.statuses)} | ${fmt(r.edgePeakRssMiB, 0)} | ${fmt(cpuPerRequest, 0)} | ${fmt(floodRate, 0)} | ${f?.statuses ? JSON.stringify(f.statuses) : '–'} |`;
  });
  const cpus = os.cpus();
  const md = `# Key-flood benchmark — results

Run ${started.toISOString()} on ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB,
Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} at the end (other work shares
the machine). Method: [\`../keyflood/README.md\`](../keyflood/README.md). Flood: ${CONNECTIONS} connections for
${FLOOD_MS / 1000} s; warm key: ${WARM_RATE} req/s open loop (1-event batches); new key put into DynamoDB
${NEW_KEY_AFTER_MS / 1000} s into the warm traffic, then tried every 50 ms (one attempt at a time).
${quick ? '\n**Quick run (shorter phases): not the reference figures.**\n' : ''}
| scenario | warm key 202 | warm p50 ms | warm p99 ms | new key: ms to first 202 | new key attempts | edge peak RSS MiB | edge CPU µs/answer | flood answers/s | flood statuses |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Latency counts from each request's scheduled send time (open loop), so queueing in the edge shows.
Edge CPU per answer: the edge process's user + system CPU over the phase divided by every answer it
gave (warm, probe and flood), which depends far less on the machine's other load than latency does.
Default key-cache tuning: ${JSON.stringify(DEFAULT_TUNING.keyCache)}.
`;
  const out = path.join(ROOT, 'benchmarks/results', quick ? 'keyflood-quick' : 'keyflood');
  await mkdir(path.dirname(out), { recursive: true });
  if (!quick) await writeFile(`${out}.json`, `${JSON.stringify({ started, results }, null, 2)}\n`);
  await writeFile(`${out}.md`, md);
  process.stdout.write(md);
}

process.on('SIGINT', () => {
  for (const c of children) c.kill('SIGTERM');
  process.exit(130);
});
main().catch((error: unknown) => {
  for (const c of children) c.kill('SIGTERM');
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
