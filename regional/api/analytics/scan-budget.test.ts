// The raw-event scan budget: one per request, shared by its scans, spent means 400 query_too_broad.
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors.ts';
import { EVENT_SCAN_TIMEOUT_MS, scanBudget, scanTimeoutMs } from './source.ts';

describe('raw-event scan budget', () => {
  it('gives each scan what the earlier scans of the request left', () => {
    const budget = scanBudget(1_000);
    expect(scanTimeoutMs(budget, 1_000)).toBe(EVENT_SCAN_TIMEOUT_MS);
    expect(scanTimeoutMs(budget, 1_000 + 9_000.4)).toBe(1_000);
    expect(scanTimeoutMs(budget, 1_000 + EVENT_SCAN_TIMEOUT_MS - 0.5)).toBe(1);
  });

  it('answers 400 query_too_broad naming the range once it is spent', () => {
    const budget = scanBudget(0);
    for (const now of [EVENT_SCAN_TIMEOUT_MS, EVENT_SCAN_TIMEOUT_MS + 5_000]) {
      let error: unknown;
      try {
        scanTimeoutMs(budget, now);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error).toMatchObject({ code: 'query_too_broad', parameter: 'from', status: 400 });
    }
  });
});
