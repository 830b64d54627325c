// Ingest benchmark: the edge ingest path vs a bare read+JSON.parse server, side by side in one run.
// Usage: npx tsx benchmarks/ingest/run.ts [--quick]   (writes benchmarks/results/ingest.md)
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as v from 'valibot';
import { buildEdge, edgeConfigFor } from '../../edge/build.ts';
import { TEST_KEY_TAG_SECRETS } from '../../infra/testing/key-tag.ts';
import { parseEnv } from '../../runtime/env.ts';
import { putBenchKey } from './bench-key.ts';
import { makeBodies } from './bodies.ts';
import { child, cpuMicros, pids, stopChildren } from './children.ts';
import { type LoadResult, quantile, runOpenLoop } from './load.ts';

/** Passed on to the edge's server process (server.ts validates it). */
const sinkCalls = parseEnv(v.object({ BENCH_SINK_CALLS: v.optional(v.string()) })).BENCH_SINK_CALLS;

const quick = process.argv.includes('--quick');
const SATURATION_MS = quick ? 2_000 : 5_000;
const LATENCY_MS = quick ? 3_000 : 10_000;
const ROUNDS = quick ? 1 : 3;
const ROOT = path.resolve(import.meta.dirname, '../..');
function summary(r: LoadResult) {
  return {
    offered: Math.round(r.offeredRate),
    achieved: Math.round(r.achievedRate),
    p50: quantile(r.latencies, 0.5),
    p99: quantile(r.latencies, 0.99),
    p999: quantile(r.latencies, 0.999),
    max: quantile(r.latencies, 1),
    completed: r.completed,
    errors: r.errors,
    statuses: r.statuses,
  };
}

/** Median module-initialisation time of the bundle, each in a fresh process (cold-start proxy). */
function initTimes(bundle: string, runs: number): number[] {
  const script = `const t=performance.now();await import(${JSON.stringify(bundle)});process.stdout.write(String(performance.now()-t))`;
  return Array.from({ length: runs }, () =>
    Number(
      execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
        env: {
          PATH: process.env.PATH ?? '',
          AWS_REGION: 'eu-central-1',
          AWS_ACCESS_KEY_ID: 'x',
          AWS_SECRET_ACCESS_KEY: 'y',
        },
      }).toString(),
    ),
  );
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const dynamo = { endpoint: await child('dynamo') };
  const key = await putBenchKey(dynamo.endpoint);
  const firehoseUrl = await child('firehose');
  const urls = {
    bare: `${await child('bare')}/v1/events`,
    'ingest-nosink': `${await child('ingest-nosink', { BENCH_DYNAMO: dynamo.endpoint })}/v1/events`,
    ingest: `${await child('ingest', { BENCH_FIREHOSE: firehoseUrl, BENCH_DYNAMO: dynamo.endpoint, ...(sinkCalls ? { BENCH_SINK_CALLS: sinkCalls } : {}) })}/v1/events`,
  };
  const bodies = makeBodies(32);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key.key}` };
  /** Runs load against `name` and adds the server's (and Firehose's) CPU per completed request. */
  const load = async (
    name: 'bare' | 'ingest' | 'ingest-nosink',
    rate: number,
    durationMs: number,
    maxInFlight: number,
  ) => {
    const server0 = cpuMicros(pids[name]);
    const firehose0 = cpuMicros(pids.firehose);
    const generator0 = process.cpuUsage();
    const result = await runOpenLoop({ url: urls[name], headers, bodies, rate, durationMs, maxInFlight });
    const generator = process.cpuUsage(generator0);
    return {
      ...summary(result),
      generatorCpuUs: (generator.user + generator.system) / Math.max(1, result.completed),
      serverCpuUs: (cpuMicros(pids[name]) - server0) / Math.max(1, result.completed),
      firehoseCpuUs:
        name === 'ingest' ? (cpuMicros(pids.firehose) - firehose0) / Math.max(1, result.completed) : 0,
    };
  };

  process.stderr.write('warming up\n');
  for (const name of ['bare', 'ingest', 'ingest-nosink'] as const) await load(name, 300, 2_000, 64);

  type Measured = Awaited<ReturnType<typeof load>>;
  const saturation: Record<'bare' | 'ingest', Measured[]> = { bare: [], ingest: [] };
  const diagnostics: Measured[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ['bare', 'ingest-nosink', 'ingest'] as const) {
      const r = await load(name, 50_000, SATURATION_MS, 32);
      process.stderr.write(`saturation ${name}: ${r.achieved} req/s (${JSON.stringify(r.statuses)})\n`);
      if (name === 'ingest-nosink') diagnostics.push(r);
      else saturation[name].push(r);
    }
  }
  const max = {
    bare: Math.max(...saturation.bare.map((r) => r.achieved)),
    ingest: Math.max(...saturation.ingest.map((r) => r.achieved)),
  };
  const half: Record<'bare' | 'ingest', Measured> = {} as never;
  for (const name of ['bare', 'ingest'] as const) {
    half[name] = await load(name, max[name] / 2, LATENCY_MS, 512);
    process.stderr.write(`half rate ${name}: ${JSON.stringify(half[name])}\n`);
  }
  stopChildren();

  const built = await buildEdge(
    edgeConfigFor(
      {
        coreRegion: 'us-east-1',
        replicaRegions: ['eu-west-1', 'ap-southeast-1'],
        keyTagSecrets: TEST_KEY_TAG_SECRETS,
      },
      'benchmark',
    ),
    path.join(ROOT, 'dist/edge-bench'),
  );
  const inits = initTimes(built.outfile, 7);
  const loadAfter = os.loadavg();

  const ratio = max.ingest / max.bare;
  // Each round runs bare and ingest within seconds of each other: the spread of these shows the noise.
  const roundRatios = saturation.ingest.map(
    (r, i) => r.achieved / (saturation.bare[i]?.achieved ?? Number.NaN),
  );
  const row = (name: 'bare' | 'ingest', r: Measured) =>
    `| ${name} | ${r.offered} | ${r.achieved} | ${r.achieved * 100} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.p999)} | ${fmt(r.max)} | ${r.serverCpuUs.toFixed(0)} | ${r.firehoseCpuUs.toFixed(0)} | ${r.generatorCpuUs.toFixed(0)} | ${JSON.stringify(r.statuses)} |`;
  const cpuBare = Math.min(...saturation.bare.map((r) => r.serverCpuUs));
  const cpuIngest = Math.min(...saturation.ingest.map((r) => r.serverCpuUs));
  const md = `# Ingest benchmark results

Generated by \`npx tsx benchmarks/ingest/run.ts${quick ? ' --quick' : ''}\` (method: [benchmarks/ingest/README.md](../ingest/README.md)).

- When: ${new Date().toISOString()}
- Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}
- Load average (1/5/15 min) before: ${loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after: ${loadAfter.map((x) => x.toFixed(2)).join(' / ')}
- Body: 100 events, ${bodies[0]?.byteLength} bytes (identity encoding), ${bodies.length} distinct bodies in rotation

## Maximum rate (saturation, 32 requests in flight, ${SATURATION_MS / 1000} s per round, ${ROUNDS} round(s) alternating)

| server | round results (req/s) | best req/s | events/s | server CPU µs/request (per round) | Firehose stand-in CPU µs/request |
| --- | --- | --- | --- | --- | --- |
| bare read + JSON.parse | ${saturation.bare.map((r) => r.achieved).join(', ')} | ${max.bare} | ${max.bare * 100} | ${saturation.bare.map((r) => r.serverCpuUs.toFixed(0)).join(', ')} | – |
| ingest path | ${saturation.ingest.map((r) => r.achieved).join(', ')} | ${max.ingest} | ${max.ingest * 100} | ${saturation.ingest.map((r) => r.serverCpuUs.toFixed(0)).join(', ')} | ${saturation.ingest.map((r) => r.firehoseCpuUs.toFixed(0)).join(', ')} |

Diagnostic (not the comparison), measured in the same rounds between the two: the same ingest server with
the Firehose call replaced by an immediate "accepted" reached ${diagnostics.map((r) => r.achieved).join(', ')} req/s at
${diagnostics.map((r) => r.serverCpuUs.toFixed(0)).join(', ')} µs CPU per request; the difference to the ingest path is the
\`PutRecordBatch\` call (base64 body, SigV4 signing with the payload hash, loopback HTTP, the answer).

**Ratio ingest / bare (max rate): ${ratio.toFixed(2)}×** (goal ≥ 0.40×). Ratio within each round: ${roundRatios.map((r) => `${r.toFixed(2)}×`).join(', ')} (median ${median(roundRatios).toFixed(2)}×). CPU-cost ratio at saturation (bare CPU per request ÷ ingest CPU per request, lowest of the rounds): ${(cpuBare / cpuIngest).toFixed(2)}×.

## Latency at half the maximum rate (open loop, ${LATENCY_MS / 1000} s, latency from scheduled send time, ms)

| server | offered req/s | achieved req/s | events/s | p50 | p99 | p99.9 | max | server CPU µs/req | Firehose CPU µs/req | generator CPU µs/req | statuses |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${row('bare', half.bare)}
${row('ingest', half.ingest)}

**Ingest p99 at half its max rate: ${fmt(half.ingest.p99)} ms** (goal < 10 ms)

## Lambda@Edge bundle

| measure | value |
| --- | --- |
| bundle (minified ESM) | ${(built.bytes / 1024).toFixed(0)} KiB |
| bundle gzip -9 (≈ deployment zip) | ${(built.gzipBytes / 1024).toFixed(0)} KiB |
| module initialisation, median of ${inits.length} fresh processes | ${fmt(median(inits))} ms (all: ${inits.map(fmt).join(', ')}) |
`;
  await mkdir(path.join(ROOT, 'benchmarks/results'), { recursive: true });
  const out = path.join(ROOT, 'benchmarks/results', quick ? 'ingest-quick.md' : 'ingest.md');
  await writeFile(out, md);
  process.stdout.write(`${md}\nwritten to ${out}\n`);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(stopChildren);
