// Accuracy and merge properties of the log-bucketed latency histogram against exact percentiles.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../infra/testing/seeded-random.ts';
import {
  addHistogramTexts,
  bucketIndex,
  bucketValue,
  histogramCount,
  histogramOf,
  histogramQuantile,
  histogramQuantiles,
  latencyPercentiles,
  MAX_BUCKET,
  mergeHistograms,
  RELATIVE_ACCURACY,
  scanHistogramTexts,
  ZERO_BUCKET,
} from './latency-histogram.ts';

/** Exact quantile at the same rank convention as the histogram: sorted[floor(q·(n−1))]. */
function exactQuantile(sorted: number[], q: number): number {
  const v = sorted[Math.floor(q * (sorted.length - 1))];
  if (v === undefined) throw new Error('empty');
  return v;
}

function relErr(estimate: number, exact: number): number {
  return exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / exact;
}

const distributions: Record<string, (r: () => number) => number> = {
  uniform: (r) => r() * 30_000,
  lognormal: (r) => Math.exp(6 + 1.2 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())),
  exponential: (r) => -Math.log(1 - r()) * 800,
  bimodal: (r) => (r() < 0.9 ? 50 + r() * 100 : 20_000 + r() * 40_000),
  tiny: (r) => r() * 2,
};

describe('latency histogram', () => {
  for (const [name, draw] of Object.entries(distributions)) {
    it(`p50/p95/p99 within 2% of exact on ${name} data`, () => {
      const r = seededRandom(name.length * 7919);
      const values = Array.from({ length: 20_000 }, () => draw(r));
      const hist = histogramOf(values);
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of [0.5, 0.95, 0.99]) {
        const est = histogramQuantile(hist, q);
        expect(est).not.toBeNull();
        const exact = exactQuantile(sorted, q);
        const err = exact < 0.001 ? 0 : relErr(est ?? Number.NaN, exact);
        expect(err).toBeLessThanOrEqual(0.02);
        expect(err).toBeLessThanOrEqual(RELATIVE_ACCURACY + 1e-9);
      }
    });
  }

  it('is within α for any data set and any quantile (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.002, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const est = histogramQuantile(histogramOf(values), q) ?? Number.NaN;
          const exact = exactQuantile(
            [...values].sort((a, b) => a - b),
            q,
          );
          return relErr(est, exact) <= RELATIVE_ACCURACY + 1e-9;
        },
      ),
    );
  });

  it('merging per-part histograms equals the histogram of all values', () => {
    const r = seededRandom(42);
    const parts = Array.from({ length: 7 }, () => Array.from({ length: 500 }, () => r() * 5000));
    const merged = mergeHistograms(...parts.map((p) => histogramOf(p)));
    expect(merged).toEqual(histogramOf(parts.flat()));
    expect(histogramCount(merged)).toBe(3500);
  });

  it('adds a string_agg of stored histograms into a histogram as merging the parts would', () => {
    const r = seededRandom(7);
    const parts = Array.from({ length: 5 }, () => Array.from({ length: 300 }, () => r() * 4000));
    const first = histogramOf(parts[0] ?? []);
    // As PostgreSQL prints jsonb: keys and counts, comma-joined by string_agg.
    const joined = parts
      .slice(1)
      .map((p) => JSON.stringify(histogramOf(p)))
      .join(',');
    expect(addHistogramTexts({ ...first }, joined)).toEqual(histogramOf(parts.flat()));
    expect(addHistogramTexts({ ...first }, null)).toEqual(first);
    expect(addHistogramTexts({}, '{"3": 2}, {"3": 5, "-32768": 1}')).toEqual({ '3': 7, '-32768': 1 });
  });

  it('scans histogram texts as JSON.parse reads them, in both printed forms, and refuses any other text', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.dictionary(
            fc.integer({ min: -400, max: MAX_BUCKET }).map(String),
            fc.integer({ min: 1, max: 2 ** 40 }),
            { maxKeys: 40 },
          ),
          { minLength: 1, maxLength: 20 },
        ),
        fc.boolean(),
        (hists, spaced) => {
          // jsonb prints `{"3": 2, "5": 1}`; the tiers' compact text is `{"3":2,"5":1}`.
          const text = hists
            .map((h) => (spaced ? JSON.stringify(h).replace(/([:,])/g, '$1 ') : JSON.stringify(h)))
            .join(spaced ? ', ' : ',');
          const expected = new Map<number, number>();
          for (const h of hists)
            for (const [b, c] of Object.entries(h))
              expected.set(Number(b), (expected.get(Number(b)) ?? 0) + c);
          expect(scanHistogramTexts(text)).toEqual(expected);
        },
      ),
    );
    expect(scanHistogramTexts('{}, {"-32768": 4, "0": 1}')).toEqual(
      new Map([
        [-32768, 4],
        [0, 1],
      ]),
    );
    // Anything else: null, so the caller falls back to JSON.parse and adds nothing twice.
    for (const other of [
      '{"3": 1.5}',
      '{"a": 1}',
      '{"3": -1}',
      '{"3": 1e3}',
      '{"3": 1',
      '{"3": 1},',
      '[1]',
      '{"3" 1}',
      '{"07": 1}',
      '{"-0": 1}',
      '{"1234567": 1}',
    ]) {
      expect(scanHistogramTexts(other), other).toBeNull();
    }
    expect(addHistogramTexts({ '3': 1 }, '{"3": 1.5}')).toEqual({ '3': 2.5 });
    // A non-canonical bucket stays its own key, as JSON.parse reads it.
    expect(addHistogramTexts({ '7': 1 }, '{"07": 2}')).toEqual({ '7': 1, '07': 2 });
  });

  it('computes several quantiles from one sort, equal to one at a time', () => {
    const hist = histogramOf(Array.from({ length: 500 }, (_, i) => 1 + i * 7.3));
    const qs = [0, 0.5, 0.95, 0.99, 1];
    expect(histogramQuantiles(hist, qs)).toEqual(qs.map((q) => histogramQuantile(hist, q)));
    expect(latencyPercentiles(hist)).toEqual({
      p50: histogramQuantile(hist, 0.5),
      p95: histogramQuantile(hist, 0.95),
      p99: histogramQuantile(hist, 0.99),
    });
    expect(histogramQuantiles({}, [0.5, 0.9])).toEqual([null, null]);
  });

  it('puts zero, negative and NaN in the zero bucket and clamps huge values', () => {
    expect(bucketIndex(0)).toBe(ZERO_BUCKET);
    expect(bucketIndex(-5)).toBe(ZERO_BUCKET);
    expect(bucketIndex(Number.NaN)).toBe(ZERO_BUCKET);
    expect(bucketValue(ZERO_BUCKET)).toBe(0);
    expect(bucketIndex(1e15)).toBe(MAX_BUCKET);
    expect(histogramQuantile({}, 0.5)).toBeNull();
  });
});
