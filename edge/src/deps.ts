// Everything the core needs from outside, as one object (real defaults in wire.ts, fakes in tests).

import type { Logger } from '../../runtime/log.ts';
import type { PrefixTagCheck } from './auth/authenticate.ts';
import type { KeyCache } from './auth/key-cache.ts';
import type { KeyRateLimiter } from './auth/rate-limiter.ts';
import type { TimestampWindow } from './body/parse-batch.ts';
import type { EventSink } from './sink/batching-sink.ts';

/** Dependencies of the ingest core. */
export interface EdgeDeps {
  keys: KeyCache;
  /** Refuses keys not minted with one of this edge's tag secrets, before any lookup. */
  keyTag: PrefixTagCheck;
  rateLimit: KeyRateLimiter;
  sink: EventSink;
  clock: { now(): number };
  /** Region this edge runs in (`AWS_REGION`; "local" locally); stamped on every envelope. */
  edgeRegion: string;
  timestamps: TimestampWindow;
  /** Time allowed for the sink to take a request's records. */
  sinkDeadlineMs: number;
  log: Logger;
}
