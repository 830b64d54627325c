// Benchmark child process: `bare` (read + JSON.parse only), `ingest` (the edge), `firehose` (ack-only), `firehose-journal`, `dynamo`.
// Prints one JSON line {"url": …} when listening; stops on SIGTERM.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as v from 'valibot';
import { createNodeListener } from '../../edge/src/adapters/node-http.ts';
import { wireEdge } from '../../edge/src/wire.ts';
import { ensureKeyTable, LOCAL_AWS, startDynalite } from '../../infra/local/dynamo.ts';
import { localEdgeConfig, startEdgeServer } from '../../infra/local/edge.ts';
import { startFirehoseServer } from '../../infra/local/firehose-server.ts';
import { TEST_KEY_TAG_SECRETS } from '../../infra/testing/key-tag.ts';
import { parseEnv } from '../../runtime/env.ts';

const role = process.argv[2];
/** Knobs the parent (run.ts, journal.ts, keyflood/run.ts) hands each server process. */
const env = parseEnv(
  v.object({
    BENCH_KEY_TABLE: v.optional(v.pipe(v.string(), v.minLength(3)), 'llmo-api-keys'),
    BENCH_FIREHOSE: v.optional(v.string(), ''),
    BENCH_DYNAMO: v.optional(v.string(), ''),
    /** Concurrent PutRecordBatch calls of the edge's sink (its default when unset). */
    BENCH_SINK_CALLS: v.optional(
      v.pipe(v.string(), v.regex(/^[1-9]\d{0,5}$/, 'must be a whole number from 1'), v.transform(Number)),
    ),
    /** Key-cache tuning of a key-flood scenario, as JSON (e.g. the unbounded baseline). */
    BENCH_KEY_CACHE: v.optional(v.string()),
    BENCH_JOURNAL_DIR: v.optional(v.string(), ''),
    /** `0` skips the journal's fdatasync (the side-by-side baseline). */
    BENCH_JOURNAL_SYNC: v.optional(v.string(), '1'),
  }),
);

async function bare(): Promise<string> {
  // The baseline: what any JSON endpoint must do at least (read the body, parse it, answer).
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const batch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: unknown[] };
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(`{"accepted":${batch.events.length}}`);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const UNLIMITED = { requestsPerSecond: 1e9, burst: 1e9 };

async function ingest(): Promise<string> {
  const edge = await startEdgeServer({
    port: 0,
    config: localEdgeConfig({
      streamName: 'llmo-events',
      keyTableName: env.BENCH_KEY_TABLE,
      firehoseEndpoint: env.BENCH_FIREHOSE,
      dynamoEndpoint: env.BENCH_DYNAMO,
      keyTagSecrets: TEST_KEY_TAG_SECRETS,
      logLevel: 'warn',
      // One key carries the whole load here; the per-key limit is not what this benchmark measures.
      rateLimit: UNLIMITED,
      ...(env.BENCH_SINK_CALLS ? { sink: { maxConcurrentCalls: env.BENCH_SINK_CALLS } } : {}),
      // Key-flood benchmark: key-cache tuning of a scenario (JSON), e.g. the unbounded baseline.
      ...(env.BENCH_KEY_CACHE ? { keyCache: JSON.parse(env.BENCH_KEY_CACHE) as object } : {}),
    }),
  });
  return edge.url;
}

async function ingestWithoutSink(): Promise<string> {
  // Diagnostic only: the same edge with a sink that takes everything at once (no Firehose call), to
  // show how much of the ingest path's cost is the PutRecordBatch call itself.
  const wired = wireEdge(
    localEdgeConfig({
      streamName: 'llmo-events',
      keyTableName: env.BENCH_KEY_TABLE,
      firehoseEndpoint: 'http://127.0.0.1:9',
      dynamoEndpoint: env.BENCH_DYNAMO,
      keyTagSecrets: TEST_KEY_TAG_SECRETS,
      logLevel: 'warn',
      rateLimit: UNLIMITED,
    }),
    { credentials: LOCAL_AWS.credentials },
  );
  wired.deps.sink = { put: async () => undefined };
  const server = http.createServer(createNodeListener(wired.deps));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function firehose(): Promise<string> {
  const server = await startFirehoseServer({
    port: 0,
    streams: ['llmo-events'],
    bucket: 'unused',
    region: LOCAL_AWS.region,
    acknowledgeOnly: true,
    land: async () => {
      throw new Error('acknowledge-only mode lands nothing');
    },
  });
  return server.endpoint;
}

async function firehoseJournal(): Promise<string> {
  // The stand-in as `npm start` runs it (decode, journal, buffer, land), with its journal in
  // BENCH_JOURNAL_DIR; BENCH_JOURNAL_SYNC=0 skips the fdatasync (the side-by-side baseline). Landing
  // discards the object: it happens after the answer, off the path this measures.
  const server = await startFirehoseServer({
    port: 0,
    streams: ['llmo-events'],
    bucket: 'unused',
    region: LOCAL_AWS.region,
    journalDir: env.BENCH_JOURNAL_DIR || '/nonexistent/BENCH_JOURNAL_DIR-is-required',
    syncJournal: env.BENCH_JOURNAL_SYNC !== '0',
    land: async (key) => ({ etag: key }),
  });
  return server.endpoint;
}

async function dynamo(): Promise<string> {
  // In its own process so the key cache's background refreshes do not queue behind the load generator.
  const server = await startDynalite({ port: 0 });
  await ensureKeyTable(server.endpoint, 'llmo-api-keys');
  return server.endpoint;
}

const starters: Record<string, () => Promise<string>> = {
  bare,
  ingest,
  'ingest-nosink': ingestWithoutSink,
  firehose,
  'firehose-journal': firehoseJournal,
  dynamo,
};
const start = role ? starters[role] : undefined;
if (!start) {
  process.stderr.write('usage: server.ts bare|ingest|ingest-nosink|firehose|firehose-journal|dynamo\n');
  process.exit(2);
}
start().then((url) => process.stdout.write(`${JSON.stringify({ url })}\n`));
process.on('SIGTERM', () => process.exit(0));
