// Fault injection knobs of the local Firehose: per-record failures, whole-call throttling, latency.

/** Fault settings; all default to "no faults". Changeable at runtime. */
export interface FirehoseFaults {
  /** Probability (0–1) that each record of a call fails with ServiceUnavailableException. */
  recordFailureRate: number;
  /** Probability (0–1) that a whole call is refused with ServiceUnavailableException (HTTP 503). */
  throttleRate: number;
  /** Added delay before answering each call, in ms. */
  latencyMs: number;
  /** Fail exactly this many next calls as a whole (deterministic tests); counts down. */
  failNextCalls: number;
}

/** No faults. */
export const NO_FAULTS: FirehoseFaults = {
  recordFailureRate: 0,
  throttleRate: 0,
  latencyMs: 0,
  failNextCalls: 0,
};
