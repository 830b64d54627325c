// Ingest benchmark, durable hand-off: what the local Firehose stand-in's fsync before answering costs, side by side with it off.
// Usage: npx tsx benchmarks/ingest/journal.ts [--quick]   (prints a Markdown section for benchmarks/results/ingest.md)
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openFileJournal } from '../../infra/local/firehose/record-journal.ts';
import { putBenchKey } from './bench-key.ts';
import { makeBodies } from './bodies.ts';
import { child, cpuMicros, pids, stopChildren } from './children.ts';
import { quantile, runOpenLoop } from './load.ts';

const quick = process.argv.includes('--quick');
const SATURATION_MS = quick ? 2_000 : 5_000;
const LATENCY_MS = quick ? 3_000 : 10_000;
const ROUNDS = quick ? 1 : 3;
const SIDES = ['sync', 'nosync'] as const;
type Side = (typeof SIDES)[number];

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * The journal alone, one append at a time (no group commit to share a sync): each append is one
 * ~96 KB `PutRecordBatch` worth of records; returns the median and p99 of the append time in ms.
 */
async function sequentialAppends(
  dir: string,
  sync: boolean,
  n: number,
): Promise<{ p50: number; p99: number }> {
  const journal = await openFileJournal({ dir, sync });
  const records = Array.from({ length: 100 }, () => Buffer.alloc(960, 0x61));
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await journal.append(records);
    times[i] = performance.now() - t;
    if (i % 10 === 9) await (await journal.seal())?.release();
  }
  await journal.close();
  times.sort();
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

async function main(): Promise<void> {
  // On the same file system as a stack's data folder (os.tmpdir() here is on the root disk; a tmpfs
  // would make fdatasync free and the comparison meaningless — the output records the folder).
  const journalRoot = await mkdtemp(path.join(os.tmpdir(), 'llmo-bench-journal-'));
  const loadBefore = os.loadavg();
  try {
    const appends = quick ? 50 : 300;
    const alone: Record<Side, { p50: number; p99: number }> = {
      sync: await sequentialAppends(path.join(journalRoot, 'alone-sync'), true, appends),
      nosync: await sequentialAppends(path.join(journalRoot, 'alone-nosync'), false, appends),
    };
    const dynamo = await child('dynamo');
    const key = await putBenchKey(dynamo);
    const urls = {} as Record<Side, string>;
    for (const side of SIDES) {
      const firehose = await child(
        'firehose-journal',
        { BENCH_JOURNAL_DIR: path.join(journalRoot, side), BENCH_JOURNAL_SYNC: side === 'sync' ? '1' : '0' },
        `firehose-${side}`,
      );
      urls[side] =
        `${await child('ingest', { BENCH_FIREHOSE: firehose, BENCH_DYNAMO: dynamo }, `ingest-${side}`)}/v1/events`;
    }
    const bodies = makeBodies(32);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key.key}` };
    const load = async (side: Side, rate: number, durationMs: number, maxInFlight: number) => {
      const ingest0 = cpuMicros(pids[`ingest-${side}`]);
      const firehose0 = cpuMicros(pids[`firehose-${side}`]);
      const r = await runOpenLoop({ url: urls[side], headers, bodies, rate, durationMs, maxInFlight });
      const per = (us: number) => us / Math.max(1, r.completed);
      return {
        achieved: Math.round(r.achievedRate),
        p50: quantile(r.latencies, 0.5),
        p99: quantile(r.latencies, 0.99),
        statuses: r.statuses,
        ingestCpuUs: per(cpuMicros(pids[`ingest-${side}`]) - ingest0),
        firehoseCpuUs: per(cpuMicros(pids[`firehose-${side}`]) - firehose0),
      };
    };
    type Measured = Awaited<ReturnType<typeof load>>;
    process.stderr.write('warming up\n');
    for (const side of SIDES) await load(side, 300, 2_000, 64);
    const saturation: Record<Side, Measured[]> = { sync: [], nosync: [] };
    const latency: Record<Side, Measured[]> = { sync: [], nosync: [] };
    const best = (side: Side) => Math.max(...saturation[side].map((r) => r.achieved));
    // Alternating, and the order flipped each round, so both sides see the same machine conditions.
    const orderOf = (round: number) => (round % 2 === 0 ? [...SIDES] : ([...SIDES].reverse() as Side[]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of orderOf(round)) {
        const r = await load(side, 50_000, SATURATION_MS, 32);
        saturation[side].push(r);
        process.stderr.write(`saturation ${side}: ${r.achieved} req/s ${JSON.stringify(r.statuses)}\n`);
      }
    }
    // Both sides at the same offered rate: half the slower side's maximum (as run.ts's latency phase).
    const latencyRate = Math.max(1, Math.round(Math.min(...SIDES.map((side) => best(side))) / 2));
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of orderOf(round)) {
        const r = await load(side, latencyRate, LATENCY_MS, 512);
        latency[side].push(r);
        process.stderr.write(`latency ${side}: p50 ${fmt(r.p50)} p99 ${fmt(r.p99)} ms\n`);
      }
    }
    const loadAfter = os.loadavg();
    const roundRatios = saturation.sync.map(
      (r, i) => r.achieved / (saturation.nosync[i]?.achieved ?? Number.NaN),
    );
    const row = (side: Side) =>
      `| ${side === 'sync' ? 'fdatasync before answering (as `npm start`)' : 'journal written, no fdatasync (baseline)'} | ${saturation[side].map((r) => r.achieved).join(', ')} | ${best(side)} | ${saturation[side].map((r) => r.ingestCpuUs.toFixed(0)).join(', ')} | ${saturation[side].map((r) => r.firehoseCpuUs.toFixed(0)).join(', ')} | ${latency[side].map((r) => fmt(r.p50)).join(', ')} | ${latency[side].map((r) => fmt(r.p99)).join(', ')} |`;
    process.stdout.write(`## Durable hand-off: the local Firehose stand-in's journal sync

Generated by \`npx tsx benchmarks/ingest/journal.ts${quick ? ' --quick' : ''}\` (method: [benchmarks/ingest/README.md](../ingest/README.md), *Durable hand-off*) on ${new Date().toISOString()}; journal folder on ${journalRoot.split(path.sep).slice(0, 2).join(path.sep) || '/'} (ext4, the same disk as \`.data\`); load average before ${loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' / ')}.

| Firehose stand-in | saturation req/s per round (32 in flight, ${SATURATION_MS / 1000} s) | best | ingest CPU µs/req | stand-in CPU µs/req | p50 ms at ${latencyRate} req/s, per round | p99 ms at ${latencyRate} req/s, per round |
| --- | --- | --- | --- | --- | --- | --- |
${row('sync')}
${row('nosync')}

**Ratio with sync / without (max rate): ${(best('sync') / best('nosync')).toFixed(2)}×**; within each round ${roundRatios.map((r) => `${r.toFixed(2)}×`).join(', ')} (median ${median(roundRatios).toFixed(2)}×). Median p50 at ${latencyRate} req/s: ${fmt(median(latency.sync.map((r) => r.p50)))} ms with sync, ${fmt(median(latency.nosync.map((r) => r.p50)))} ms without; median p99: ${fmt(median(latency.sync.map((r) => r.p99)))} / ${fmt(median(latency.nosync.map((r) => r.p99)))} ms.

The journal alone, ${appends} appends of one call's records (~96 KB) one at a time (no other call to share a sync): p50 ${fmt(alone.sync.p50)} ms / p99 ${fmt(alone.sync.p99)} ms with fdatasync, p50 ${fmt(alone.nosync.p50)} ms / p99 ${fmt(alone.nosync.p99)} ms without.
`);
  } finally {
    stopChildren();
    await rm(journalRoot, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
