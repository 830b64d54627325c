// Number and time formatting shared by pages (deterministic: the same on the server and in the browser).

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12,345 */
export const formatCount = (n: number): string => integer.format(n);

/** $0.0123 (four decimals below a dollar, since per-call costs are tiny). */
export function formatUsd(n: number): string {
  return n < 1 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

/** 3.2 % */
export const formatPercent = (ratio: number): string => `${(ratio * 100).toFixed(1)} %`;

/** 123 ms, or "—" when there is no measurement. */
export const formatMs = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '—' : `${Math.round(ms)} ms`;

/** 2026-11-25 17:36:14 UTC, or "—". */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A chart axis label: HH:MM for intraday buckets, MM-DD HH:MM otherwise (UTC). */
export function bucketLabel(iso: string, multiDay: boolean): string {
  return multiDay ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

/** "12 s ago" for a freshness stamp relative to `now`. */
export function ago(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}
