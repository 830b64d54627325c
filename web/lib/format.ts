// Number and time formatting shared by pages (deterministic: the same on the server and in the browser).

/** A no-break space: the chart library wraps tick labels at ordinary spaces ("3000 / ms"). */
const NBSP = '\u00a0';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12,345 */
export const formatCount = (n: number): string => integer.format(n);

/** $0.0123 (four decimals below a dollar, since per-call costs are tiny); "< $0.0001" rather than "$0.0000". */
export function formatUsd(n: number): string {
  if (n === 0) return '$0';
  if (n > 0 && n < 0.0001) return `<${NBSP}$0.0001`;
  return n < 1 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

/** An axis tick: short enough never to wrap ("850 ms", "3.2 s", "12 s"). */
export function formatMsShort(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}${NBSP}ms`;
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}${NBSP}s` : `${Math.round(ms / 1000)}${NBSP}s`;
}

/** A compact count for axis ticks: 950, 1.2k, 34k, 1.5M. */
export const formatCountShort = (n: number): string =>
  new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(n);

/** 3.2 % */
export const formatPercent = (ratio: number): string => `${(ratio * 100).toFixed(1)}${NBSP}%`;

/** 123 ms, or "—" when there is no measurement. */
export const formatMs = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '—' : `${Math.round(ms)} ms`;

/** 2026-11-25 17:36:14 UTC, or "—". */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A chart axis label (UTC): HH:MM within one day, "Nov 25 17:00" when the range spans days. */
export function bucketLabel(iso: string, multiDay: boolean): string {
  if (!multiDay) return iso.slice(11, 16);
  return `${MONTHS[Number(iso.slice(5, 7)) - 1] ?? iso.slice(5, 7)} ${Number(iso.slice(8, 10))} ${iso.slice(11, 16)}`;
}

/** "12 s ago" for a freshness stamp relative to `now`. */
export function ago(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}
