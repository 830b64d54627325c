// JSON text → accepted events (raw JSON text, ready for the envelope) and per-event rejections.

import type { ContractIssue } from '../../../contract/index.ts';
import {
  eventIdOf,
  parseBatch,
  rfc3339EpochMs,
  topLevelArraySpans,
  validateEvent,
} from '../../../contract/index.ts';
import { InvalidBatchError, InvalidJsonError, PayloadTooLargeError } from '../http/errors.ts';
import type { RejectedEvent } from '../http/reply-types.ts';
import { MAX_EVENT_BYTES, MAX_ISSUES_PER_EVENT } from '../limits.ts';
import { fastSplitBatch } from './fast-split.ts';

/** Accepted window for event timestamps, relative to the receive time. */
export interface TimestampWindow {
  maxFutureMs: number;
  maxAgeMs: number;
}

/** Result of parsing a batch: accepted events as raw JSON text (one line each) and rejections. */
export interface ParsedBatch {
  accepted: string[];
  rejected: RejectedEvent[];
}

const LINE_BREAKS = /[\r\n]/g;

/** The batch's events, parsed and as raw single-line text, plus which ones use reserved keys. */
function splitBatch(text: string): { events: unknown[]; raws: string[]; reserved: boolean[] | undefined } {
  const fast = fastSplitBatch(text);
  if (fast) {
    const batch = parseBatch({ events: fast.events });
    if (!batch.ok) throw new InvalidBatchError(batch.message);
    return { events: fast.events, raws: fast.raws, reserved: undefined };
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new InvalidJsonError('body is not valid JSON', { cause: error });
  }
  const batch = parseBatch(root);
  if (!batch.ok) throw new InvalidBatchError(batch.message);
  const spans = topLevelArraySpans(text, 'events');
  if (!spans || spans.starts.length !== batch.events.length) {
    // Cannot happen for text JSON.parse accepted; refuse rather than embed the wrong text.
    throw new InvalidBatchError('could not delimit the events of the batch');
  }
  const raws = spans.starts.map((start, i) => {
    const raw = text.slice(start, spans.ends[i]);
    return spans.hasLineBreak[i] ? raw.replace(LINE_BREAKS, ' ') : raw;
  });
  return { events: batch.events, raws, reserved: spans.hasReservedKey };
}

/**
 * Parses and validates a batch. Throws 400 (not JSON / not a batch) or 413 (an event too large);
 * otherwise every event is either accepted (its exact client text, CR/LF between tokens turned into
 * spaces, which is safe because JSON strings cannot contain raw CR/LF) or rejected with all its issues.
 */
export function parseEventBatch(
  text: string,
  receivedAtMs: number,
  window: TimestampWindow,
  maxEventBytes = MAX_EVENT_BYTES,
): ParsedBatch {
  const { events, raws, reserved } = splitBatch(text);
  const accepted: string[] = [];
  const rejected: RejectedEvent[] = [];
  const oldest = receivedAtMs - window.maxAgeMs;
  const newest = receivedAtMs + window.maxFutureMs;
  for (let i = 0; i < events.length; i++) {
    const raw = raws[i] as string;
    // UTF-8 needs at most 3 bytes per UTF-16 unit: measure exactly only when that bound is over the cap.
    if (raw.length * 3 > maxEventBytes && Buffer.byteLength(raw) > maxEventBytes) {
      throw new PayloadTooLargeError(`event ${i} is larger than ${maxEventBytes} bytes`);
    }
    const event = events[i];
    const result = validateEvent(event);
    let issues: ContractIssue[] | undefined;
    if (!result.ok) {
      issues = result.issues.slice(0, MAX_ISSUES_PER_EVENT);
    } else if (reserved?.[i]) {
      issues = [{ path: '', message: 'object keys __proto__, constructor and prototype are not allowed' }];
    } else {
      // The validator accepted the timestamp as strict RFC 3339 with a real calendar day: it has a time.
      const at = rfc3339EpochMs(result.event.timestamp);
      if (at > newest) issues = [{ path: 'timestamp', message: 'is too far in the future' }];
      else if (at < oldest) issues = [{ path: 'timestamp', message: 'is older than the retention window' }];
    }
    if (issues) {
      const eventId = eventIdOf(event);
      rejected.push(
        eventId === undefined
          ? { index: i, errors: issues }
          : { index: i, event_id: eventId, errors: issues },
      );
      continue;
    }
    accepted.push(raw);
  }
  return { accepted, rejected };
}
