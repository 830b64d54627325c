// Places a trace's events on one time axis: offset and width of each bar as percentages of the trace.
import type { ExplorerItem, Trace } from './api-types.ts';

/** One bar of the waterfall. */
export interface WaterfallBar {
  event: ExplorerItem;
  /** Milliseconds from the start of the trace to this call's start. */
  startMs: number;
  offsetPct: number;
  widthPct: number;
}

/** Bars in the order the API gives (by start); a call without a duration is a point at its start. */
export function waterfall(trace: Pick<Trace, 'started_at' | 'duration_ms' | 'items'>): WaterfallBar[] {
  const start = Date.parse(trace.started_at);
  const total = Math.max(trace.duration_ms, 1);
  return trace.items.map((event) => {
    const startMs = Math.max(0, Date.parse(event.timestamp) - start);
    const duration = typeof event.duration_ms === 'number' ? event.duration_ms : 0;
    const offsetPct = Math.min(100, (startMs / total) * 100);
    return { event, startMs, offsetPct, widthPct: Math.min(100 - offsetPct, (duration / total) * 100) };
  });
}
