// Bounds the key-store reads of one instance: a few in flight, a capped queue behind them, the rest shed.
import { KeyLookupShedError } from './key-record.ts';

/** Limits of the gate (see EdgeConfig.keyCache). */
export interface LookupGateLimits {
  /** Store reads in flight at once. */
  maxConcurrent: number;
  /** Reads waiting for a slot, per lane; past it a read is refused at once (KeyLookupShedError). */
  maxQueued: number;
}

/**
 * Which lane a read waits in. `known`: a prefix the instance has seen as a real key (a refresh of an
 * expired entry), served first; `unknown`: a prefix never seen or last seen missing, served after.
 * So however many unknown prefixes queue up, a known key's refresh waits for one read at most.
 */
export type LookupLane = 'known' | 'unknown';

/** A counting semaphore with two bounded FIFO lanes. Memory: at most 2 × maxQueued waiting closures. */
export class LookupGate {
  private active = 0;
  private readonly lanes: Record<LookupLane, Array<() => void>> = { known: [], unknown: [] };

  constructor(private readonly limits: LookupGateLimits) {}

  /** Runs `task` when a slot is free; rejects at once with KeyLookupShedError when its lane is full. */
  run<T>(task: () => Promise<T>, lane: LookupLane): Promise<T> {
    if (this.active < this.limits.maxConcurrent) return this.start(task);
    const queue = this.lanes[lane];
    if (queue.length >= this.limits.maxQueued) {
      return Promise.reject(new KeyLookupShedError(`key lookups saturated (${lane} lane full)`));
    }
    return new Promise<T>((resolve, reject) => {
      queue.push(() => {
        this.start(task).then(resolve, reject);
      });
    });
  }

  /** Reads in flight and waiting, for tests and metrics. */
  get load(): { active: number; known: number; unknown: number } {
    return { active: this.active, known: this.lanes.known.length, unknown: this.lanes.unknown.length };
  }

  private start<T>(task: () => Promise<T>): Promise<T> {
    this.active++;
    let running: Promise<T>;
    try {
      running = task();
    } catch (error) {
      running = Promise.reject(error);
    }
    return running.finally(() => {
      this.active--;
      const next = this.lanes.known.shift() ?? this.lanes.unknown.shift();
      next?.();
    });
  }
}
