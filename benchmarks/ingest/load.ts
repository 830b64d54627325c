// Open-loop (constant arrival rate) HTTP/1.1 load generator: latency counted from each request's scheduled time.
//
// It writes pre-built request bytes on raw keep-alive sockets and reads only the status line and the body
// framing of each answer, so its own CPU per request stays small: on a 2-core machine every microsecond it
// spends is taken from the servers it measures (node:http cost ~0.5 ms per 49 KB request here).
import net from 'node:net';

/** One load run's settings. */
export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  bodies: readonly Buffer[];
  /** Offered requests per second. */
  rate: number;
  durationMs: number;
  /** Most requests outstanding at once (= connections); due requests past it wait, and the wait counts. */
  maxInFlight: number;
}

/** What a run measured. */
export interface LoadResult {
  offeredRate: number;
  scheduled: number;
  completed: number;
  errors: number;
  statuses: Record<string, number>;
  /** Completed requests per second over the run (first to last completion). */
  achievedRate: number;
  /** Latencies in ms, sorted ascending. */
  latencies: Float64Array;
}

/** The q-quantile (0–1) of sorted values. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** `POST <path>` with the given headers and body as the exact bytes to write. */
export function requestBytes(url: URL, headers: Record<string, string>, body: Buffer): Buffer {
  let head = `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  head += `Content-Length: ${body.byteLength}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/**
 * Incremental reader of HTTP/1.1 responses on one connection: returns the status of each complete
 * response (Content-Length or chunked bodies, which are skipped), or throws on anything it cannot frame.
 */
export class ResponseReader {
  private buffer: Buffer = Buffer.alloc(0);
  private status = 0;
  private close = false;
  /** Body bytes still to skip (Content-Length), -1 = chunked, undefined = reading a head. */
  private remaining: number | undefined;

  /** Feeds bytes; returns the responses they completed (status, and whether the server closes after it). */
  push(chunk: Buffer): Array<{ status: number; close: boolean }> {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const done: Array<{ status: number; close: boolean }> = [];
    for (;;) {
      if (this.remaining === undefined) {
        const end = this.buffer.indexOf(CRLFCRLF);
        if (end === -1) break;
        const head = this.buffer.subarray(0, end).toString('latin1');
        this.buffer = this.buffer.subarray(end + 4);
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
        if (!status) throw new Error(`not an HTTP response: ${head.slice(0, 40)}`);
        this.status = Number(status[1]);
        this.close = /\r\nconnection:\s*close/i.test(head);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (length) this.remaining = Number(length[1]);
        else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) this.remaining = -1;
        else throw new Error('response without Content-Length or chunked encoding');
      }
      if (this.remaining >= 0) {
        if (this.buffer.length < this.remaining) break;
        this.buffer = this.buffer.subarray(this.remaining);
      } else if (!this.skipChunks()) break;
      this.remaining = undefined;
      done.push({ status: this.status, close: this.close });
    }
    return done;
  }

  /** Skips complete chunks; true once the last chunk (and its trailer) was read. */
  private skipChunks(): boolean {
    for (;;) {
      const line = this.buffer.indexOf(CRLF);
      if (line === -1) return false;
      const size = Number.parseInt(this.buffer.subarray(0, line).toString('latin1'), 16);
      if (Number.isNaN(size)) throw new Error('bad chunk size');
      if (size === 0) {
        // The last chunk, optional trailers, then an empty line.
        const end = this.buffer.indexOf(CRLFCRLF, line);
        if (end === -1) return false;
        this.buffer = this.buffer.subarray(end + 4);
        return true;
      }
      if (this.buffer.length < line + 2 + size + 2) return false;
      this.buffer = this.buffer.subarray(line + 2 + size + 2);
    }
  }
}

interface Connection {
  socket: net.Socket;
  reader: ResponseReader;
  /** Scheduled time of the request in flight on it, or undefined when idle. */
  scheduledAt: number | undefined;
}

/**
 * Sends `rate × durationMs` requests on a fixed schedule, whatever the answers do (open loop), so a
 * slow server cannot slow the arrivals down and hide its latency (no coordinated omission). One request
 * at a time per connection (no pipelining), up to `maxInFlight` connections.
 */
export function runOpenLoop(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const requests = options.bodies.map((body) => requestBytes(target, options.headers, body));
  const total = Math.min(200_000, Math.round((options.rate * options.durationMs) / 1000));
  const interval = 1000 / options.rate;
  const latencies = new Float64Array(total);
  const statuses: Record<string, number> = {};
  const idle: Connection[] = [];
  const open = new Set<Connection>();
  let finished = false;
  let next = 0;
  let scheduledCount = total;
  let inFlight = 0;
  let completed = 0;
  let errors = 0;
  let firstDone = 0;
  let lastDone = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const start = performance.now() + 20;

  return new Promise((resolve) => {
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      for (const c of open) c.socket.destroy();
      const done = latencies.subarray(0, completed).sort();
      resolve({
        offeredRate: options.rate,
        scheduled: scheduledCount,
        completed,
        errors,
        statuses,
        achievedRate: completed > 1 ? ((completed - 1) * 1000) / (lastDone - firstDone) : 0,
        latencies: done,
      });
    };
    const settle = (c: Connection, status: number | undefined) => {
      const now = performance.now();
      const scheduledAt = c.scheduledAt as number;
      c.scheduledAt = undefined;
      inFlight--;
      if (status === undefined) errors++;
      else {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (completed === 0) firstDone = now;
        lastDone = now;
        latencies[completed++] = now - scheduledAt;
      }
      pump();
    };
    const connect = (): Connection => {
      const socket = net.connect({ host: target.hostname, port: Number(target.port), noDelay: true });
      const c: Connection = { socket, reader: new ResponseReader(), scheduledAt: undefined };
      open.add(c);
      const drop = () => {
        if (!open.delete(c)) return;
        const at = idle.indexOf(c);
        if (at !== -1) idle.splice(at, 1);
        socket.destroy();
        if (c.scheduledAt !== undefined) settle(c, undefined);
      };
      socket.on('data', (chunk: Buffer) => {
        let answers: Array<{ status: number; close: boolean }>;
        try {
          answers = c.reader.push(chunk);
        } catch {
          drop();
          return;
        }
        for (const { status, close } of answers) {
          if (c.scheduledAt === undefined) continue;
          // A connection the server is closing is never reused (a request written on it would be lost).
          if (close) {
            open.delete(c);
            socket.destroy();
          } else idle.push(c);
          settle(c, status);
        }
      });
      socket.on('error', drop);
      socket.on('close', drop);
      return c;
    };
    const send = (i: number) => {
      const c = idle.pop() ?? connect();
      c.scheduledAt = start + i * interval;
      inFlight++;
      c.socket.write(requests[i % requests.length] as Buffer);
    };
    const pump = () => {
      if (finished) return;
      clearTimeout(timer);
      const now = performance.now();
      // Hard stop: nothing new is sent after the run's duration, whatever was scheduled.
      if (now - start > options.durationMs && next < total) {
        scheduledCount = next;
        next = total;
      }
      while (next < total && inFlight < options.maxInFlight && start + next * interval <= now) send(next++);
      if (next >= total) {
        if (inFlight === 0) finish();
        return;
      }
      // Sleep until the next request is due (or until an answer frees a connection).
      if (inFlight < options.maxInFlight) {
        timer = setTimeout(pump, Math.max(0, start + next * interval - performance.now()));
      }
    };
    pump();
  });
}
