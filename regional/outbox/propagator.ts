// Long-running propagator: drains the outbox right after each key change (kick) and sweeps on an interval.
import { type DrainDeps, type DrainResult, drainKeyOutbox } from './drain.ts';

/** A running propagator. */
export type KeyPropagator = {
  /** Drains now (or right after the pass in flight); resolves when that pass is over. Never rejects. */
  kick(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Starts the propagator: `kick()` after a commit pushes the change within milliseconds; the sweep
 * every `sweepIntervalMs` retries whatever failed (DynamoDB down, process crashed after commit).
 */
export function startKeyPropagator(
  deps: DrainDeps & { sweepIntervalMs?: number; onPassError?: (error: unknown) => void },
): KeyPropagator {
  let running: Promise<void> | undefined;
  let again: Promise<void> | undefined;
  let stopped = false;

  const pass = async (): Promise<void> => {
    try {
      await drainKeyOutbox(deps);
    } catch (error) {
      deps.onPassError?.(error); // e.g. the database is unreachable: the next sweep tries again
    }
  };

  // Single flight plus at most one queued pass: a kick during a pass must not be lost, since the pass
  // may have selected its rows before the kicker's commit.
  const kick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (!running) {
      running = pass().finally(() => {
        running = undefined;
      });
      return running;
    }
    again ??= running.then(() => {
      again = undefined;
      return kick();
    });
    return again;
  };

  const timer = setInterval(() => void kick(), deps.sweepIntervalMs ?? 1_000);
  timer.unref();
  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await again;
      await running;
    },
  };
}

/** What `sweepWhilePending` needs; `sleep` and `timeLeftMs` are injected so tests need no real waiting. */
export type SweepDeps = {
  drain: () => Promise<DrainResult>;
  /** Rows not yet delivered. */
  pending: () => Promise<number>;
  /** Time between passes while rows are pending. */
  intervalMs: number;
  /** How long this sweep may still run (e.g. the Lambda's remaining time minus a margin). */
  timeLeftMs: () => number;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * A scheduled sweep where no process lives on (the Lambda, once a minute): one pass, then, while
 * rows remain undelivered and time is left, another pass every `intervalMs`. Each pass probes
 * waiting rows (`drainKeyOutbox`), so DynamoDB's recovery is noticed within about one interval.
 * With nothing pending it returns after the first pass.
 */
export async function sweepWhilePending(deps: SweepDeps): Promise<DrainResult> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const total: DrainResult = { delivered: 0, failed: 0 };
  for (;;) {
    const r = await deps.drain();
    total.delivered += r.delivered;
    total.failed += r.failed;
    if (deps.timeLeftMs() < deps.intervalMs || (await deps.pending()) === 0) return total;
    await sleep(deps.intervalMs);
  }
}
