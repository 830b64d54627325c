// How the local stack stops: in an order that finishes the work in flight, and what repeated Ctrl-Cs do.

/** A started part of the stack, as shutdown sees it. */
export interface Stoppable {
  name: string;
  stop(): Promise<void>;
  /** Finishes accepted work (the Firehose stand-in: land and deliver); true when nothing is left. */
  drain?(timeoutMs: number): Promise<boolean>;
}

/** Shutdown's view of the world (injected so the order is testable). */
export interface ShutdownDeps {
  log(message: string, fields?: Record<string, unknown>): void;
  error(name: string, error: unknown): void;
  /** Upper bound of the drain; what is left stays on disk for the next start. */
  drainTimeoutMs: number;
}

/** Stopped first: nothing new is accepted while the rest finishes. */
const STOP_FIRST = ['edge'];
/** Stopped after the drain: they finish what the drain handed them. */
const STOP_AFTER_DRAIN = ['loader'];

/**
 * Stops `parts` (given in start order): the edge first (no new 202s), then every part with a drain
 * (the Firehose stand-in lands its buffer and waits until the loader took every notification), then the
 * loader (its loads in flight commit), then everything else, newest first.
 */
export async function stopInOrder(parts: Stoppable[], deps: ShutdownDeps): Promise<void> {
  const stop = async (part: Stoppable) => {
    try {
      await part.stop();
    } catch (error) {
      deps.error(part.name, error);
    }
  };
  const first = parts.filter((p) => STOP_FIRST.includes(p.name));
  for (const part of first) await stop(part);
  for (const part of parts) {
    if (!part.drain) continue;
    deps.log('draining', { part: part.name });
    let drained = false;
    try {
      drained = await part.drain(deps.drainTimeoutMs);
    } catch (error) {
      deps.error(part.name, error);
    }
    if (!drained) {
      deps.log('not everything was delivered in time; it stays in the data folder for the next start', {
        part: part.name,
        timeout_ms: deps.drainTimeoutMs,
      });
    }
  }
  const after = parts.filter((p) => STOP_AFTER_DRAIN.includes(p.name));
  for (const part of after) await stop(part);
  const rest = parts.filter((p) => !first.includes(p) && !after.includes(p)).reverse();
  for (const part of rest) await stop(part);
}

/** What the signal gate does on each press. */
export interface SignalGateActions {
  /** The first press: start the orderly stop. */
  stop(): void;
  /** A later press while stopping (`press` = 2, 3, …). */
  repeated(press: number): void;
  /** The press that gives up on the orderly stop. */
  force(): void;
}

/**
 * Turns SIGINT/SIGTERM deliveries into presses. One Ctrl-C can arrive several times (the terminal
 * signals the whole process group, and a parent such as npm forwards it again), so deliveries within
 * `samePressMs` of the previous one count as the same press. The first press stops, the second is told
 * to wait, the `forceAt`-th forces.
 */
export function signalGate(
  actions: SignalGateActions,
  options: { samePressMs?: number; forceAt?: number; now?: () => number } = {},
): () => void {
  const samePressMs = options.samePressMs ?? 1_000;
  const forceAt = options.forceAt ?? 3;
  const now = options.now ?? Date.now;
  let presses = 0;
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const at = now();
    const samePress = at - last < samePressMs;
    last = at;
    if (samePress) return;
    presses++;
    if (presses === 1) actions.stop();
    else if (presses >= forceAt) actions.force();
    else actions.repeated(presses);
  };
}
