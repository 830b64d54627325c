// Key-flood child process: N keep-alive connections, each sending requests back to back, every one with
// a key never seen before (random prefix, valid checksum). Stops by itself after FLOOD_MS; prints one
// JSON line of counts. Env: FLOOD_URL, FLOOD_CONNECTIONS, FLOOD_MS, FLOOD_MODE (forged | tagged).
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import * as v from 'valibot';
import { assembleApiKey, newKeyTagSecret } from '../../contract/index.ts';
import { TEST_KEY_TAG } from '../../infra/testing/key-tag.ts';
import { parseEnv, wholeNumber } from '../../runtime/env.ts';
import { ResponseReader, requestBytes } from '../ingest/load.ts';

const env = parseEnv(
  v.object({
    FLOOD_URL: v.pipe(v.string(), v.url('must be a URL')),
    FLOOD_CONNECTIONS: wholeNumber(2000, 1),
    FLOOD_MS: wholeNumber(10_000, 1),
    FLOOD_MODE: v.optional(v.picklist(['forged', 'tagged'], 'must be forged or tagged'), 'forged'),
  }),
);
const url = new URL(env.FLOOD_URL);
const connections = env.FLOOD_CONNECTIONS;
const durationMs = env.FLOOD_MS;
// forged: tags made under a secret the edge does not hold (an attacker without the secret);
// tagged: tags under the edge's own secret (an attacker who has it), so every key reaches the lookups.
const tag =
  env.FLOOD_MODE === 'tagged' ? TEST_KEY_TAG : { version: TEST_KEY_TAG.version, secret: newKeyTagSecret() };
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY = Buffer.from('{"events":[]}');

function randomBase62(length: number): string {
  let out = '';
  for (const byte of randomBytes(length)) out += BASE62[byte % 62];
  return out;
}

const freshRequest = () =>
  requestBytes(
    url,
    {
      authorization: `Bearer ${assembleApiKey(randomBase62(12), randomBase62(30), tag).key}`,
      'content-type': 'application/json',
    },
    BODY,
  );

const statuses: Record<string, number> = {};
let answered = 0;
let errors = 0;
let open = 0;
const deadline = performance.now() + durationMs;

function connection(): void {
  if (performance.now() >= deadline) return;
  open++;
  const socket = net.connect({ host: url.hostname, port: Number(url.port), noDelay: true });
  const reader = new ResponseReader();
  let closed = false;
  const close = (failed: boolean) => {
    if (closed) return;
    closed = true;
    open--;
    if (failed) errors++;
    socket.destroy();
    // A dropped connection is replaced, so the flood keeps its width until the deadline.
    setImmediate(connection);
    if (open === 0 && performance.now() >= deadline) report();
  };
  socket.on('connect', () => socket.write(freshRequest()));
  socket.on('data', (chunk: Buffer) => {
    let done: Array<{ status: number; close: boolean }>;
    try {
      done = reader.push(chunk);
    } catch {
      close(true);
      return;
    }
    for (const { status, close: serverCloses } of done) {
      answered++;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (serverCloses || performance.now() >= deadline) {
        close(false);
        return;
      }
      socket.write(freshRequest());
    }
  });
  socket.on('error', () => close(true));
  socket.on('close', () => close(false));
}

let reported = false;
function report(): void {
  if (reported) return;
  reported = true;
  process.stdout.write(`${JSON.stringify({ answered, errors, statuses, durationMs })}\n`);
  process.exit(0);
}

for (let i = 0; i < connections; i++) connection();
// Connections still waiting at the deadline are not waited for beyond a grace period.
setTimeout(report, durationMs + 5_000).unref();
setTimeout(report, durationMs + 5_000);
