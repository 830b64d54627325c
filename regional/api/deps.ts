// The dependencies every regional API route receives (core functions take them as one object; ARCHITECTURE.md).
import type pg from 'pg';
import type { KeyTagSecret } from '../../contract/index.ts';
import type { TokenVerifier } from './auth/verifier.ts';

/** Dependencies of the regional API. */
export type ApiDeps = {
  verifier: TokenVerifier;
  /** Pool of the `llmo_app` role: row-level security applies to every query. */
  db: pg.Pool;
  clock: () => Date;
  /**
   * The current key-tag secret: new API keys are tagged with it, and the edge must hold it too.
   * Absent in analytics-only functions; creating a key there fails (API Gateway never routes it there).
   */
  keyTagSecret: KeyTagSecret | undefined;
  /**
   * Called after a key change committed; resolves when the propagator had its go (locally the
   * in-process propagator, in Lambda an inline drain). Failures are left to the sweep.
   */
  onKeyChange?: () => Promise<void>;
  /** Structured error log for 5xx answers; never receives tokens or keys. */
  logError?: (message: string, details: Record<string, unknown>) => void;
  /** Longest analytics range in days (default 31). */
  maxRangeDays?: number;
};
