// Open-loop (constant arrival rate) HTTP load generator: latency counted from each request's scheduled time.
import http from 'node:http';

/** One load run's settings. */
export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  bodies: readonly Buffer[];
  /** Offered requests per second. */
  rate: number;
  durationMs: number;
  /** Most requests outstanding at once; due requests past it wait (and their wait counts as latency). */
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

/**
 * Sends `rate × durationMs` requests on a fixed schedule, whatever the answers do (open loop), so a
 * slow server cannot slow the arrivals down and hide its latency (no coordinated omission).
 */
export function runOpenLoop(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxInFlight });
  const total = Math.min(200_000, Math.round((options.rate * options.durationMs) / 1000));
  const interval = 1000 / options.rate;
  const latencies = new Float64Array(total);
  let finished = false;
  const statuses: Record<string, number> = {};
  let next = 0;
  let scheduledCount = total;
  let inFlight = 0;
  let completed = 0;
  let errors = 0;
  let firstDone = 0;
  let lastDone = 0;
  const start = performance.now() + 20;

  return new Promise((resolve) => {
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      agent.destroy();
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
    const send = (i: number) => {
      const scheduledAt = start + i * interval;
      const body = options.bodies[i % options.bodies.length] as Buffer;
      inFlight++;
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { ...options.headers, 'content-length': body.byteLength },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const now = performance.now();
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            if (completed === 0) firstDone = now;
            lastDone = now;
            latencies[completed++] = now - scheduledAt;
            done();
          });
        },
      );
      req.on('error', () => {
        errors++;
        done();
      });
      req.end(body);
    };
    const done = () => {
      inFlight--;
      pump();
      if (next >= total && inFlight === 0) finish();
    };
    const pump = () => {
      const now = performance.now();
      // Hard stop: nothing new is sent after the run's duration, whatever was scheduled.
      if (now - start > options.durationMs && next < total) {
        scheduledCount = next;
        next = total;
        if (inFlight === 0) finish();
      }
      while (next < total && inFlight < options.maxInFlight && start + next * interval <= now) send(next++);
    };
    const timer = setInterval(pump, 1);
  });
}
