// Finds where each element of the top-level "events" array starts and ends in the raw JSON text.
//
// Why: the envelope line embeds the event exactly as the client serialised it, so the edge never
// re-stringifies (measured as costly as JSON.parse itself). The scanner runs only on text that
// JSON.parse has already accepted, so it can assume valid JSON and stay small; it skips strings with
// indexOf and looks at structural characters only.

import { RESERVED_KEYS } from '../../../contract/src/event-v1-limits.ts';

/** Spans of the events, plus per-event flags. */
export interface EventSpans {
  /** starts[i]..ends[i] (exclusive) is the raw text of event i. */
  starts: number[];
  ends: number[];
  /** The event's text contains a CR or LF between tokens (must not reach an NDJSON line as is). */
  hasLineBreak: boolean[];
  /** The event uses a reserved object key (`__proto__`, `constructor`, `prototype`) at any depth. */
  hasReservedKey: boolean[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

const RESERVED = new Set<string>(RESERVED_KEYS);

function isWs(c: number): boolean {
  return c === 0x20 || c === LF || c === CR || c === 0x09;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && isWs(text.charCodeAt(i))) i++;
  return i;
}

/** Index of the closing quote of the string whose opening quote is at `i`. */
function stringEnd(text: string, i: number): number {
  let j = text.indexOf('"', i + 1);
  while (j !== -1) {
    let backslashes = 0;
    let k = j - 1;
    while (text.charCodeAt(k) === BACKSLASH) {
      backslashes++;
      k--;
    }
    if (backslashes % 2 === 0) return j;
    j = text.indexOf('"', j + 1);
  }
  throw new SyntaxError('unterminated string');
}

/** Decoded value of the string token text[start..end] (quotes included). */
function stringValue(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end);
  return inner.includes('\\') ? (JSON.parse(text.slice(start, end + 1)) as string) : inner;
}

/** Cheap pre-check on the string token text[start..end]: could it decode to a reserved name? */
function mayBeReservedKey(text: string, start: number, end: number): boolean {
  const len = end - start - 1;
  if (len === 9 || len === 11) return true;
  // An escaped reserved name is at most 11 escapes of 6 characters long.
  if (len < 9 || len > 66) return false;
  for (let k = start + 1; k < end; k++) if (text.charCodeAt(k) === BACKSLASH) return true;
  return false;
}

/** True when the string ending at `end` is followed by ':' (an object key). */
function isKey(text: string, end: number): boolean {
  return text.charCodeAt(skipWs(text, end + 1)) === COLON;
}

interface ValueScan {
  end: number;
  lineBreak: boolean;
  reservedKey: boolean;
}

/** Scans one JSON value starting at `i` (no leading whitespace); returns the index just past it. */
function scanValue(text: string, i: number): ValueScan {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return { end: stringEnd(text, i) + 1, lineBreak: false, reservedKey: false };
  if (first !== LBRACE && first !== LBRACKET) {
    // Number, true, false or null: runs until a delimiter.
    let j = i + 1;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === COMMA || c === RBRACE || c === RBRACKET || isWs(c)) break;
      j++;
    }
    return { end: j, lineBreak: false, reservedKey: false };
  }
  let depth = 0;
  let lineBreak = false;
  let reservedKey = false;
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) {
      const end = stringEnd(text, j);
      // Only object keys matter, and only 9- or 11-character ones or escaped ones can spell a reserved name.
      if (mayBeReservedKey(text, j, end) && isKey(text, end)) {
        if (RESERVED.has(stringValue(text, j, end))) reservedKey = true;
      }
      j = end + 1;
      continue;
    }
    if (c === LBRACE || c === LBRACKET) depth++;
    else if (c === RBRACE || c === RBRACKET) {
      depth--;
      if (depth === 0) return { end: j + 1, lineBreak, reservedKey };
    } else if (c === LF || c === CR) lineBreak = true;
    j++;
  }
  throw new SyntaxError('unterminated value');
}

/**
 * Spans of `events` elements in `text`, which must be JSON already accepted by JSON.parse with an
 * object at the root. Returns undefined if there is no `events` array. Like JSON.parse, the LAST
 * `events` key wins when it is repeated.
 */
export function scanEventSpans(text: string): EventSpans | undefined {
  let i = skipWs(text, 0);
  if (text.charCodeAt(i) !== LBRACE) return undefined;
  i = skipWs(text, i + 1);
  let found: EventSpans | undefined;
  while (i < text.length && text.charCodeAt(i) !== RBRACE) {
    const keyEnd = stringEnd(text, i);
    const key = stringValue(text, i, keyEnd);
    i = skipWs(text, keyEnd + 1) + 1; // past ':'
    i = skipWs(text, i);
    if (key === 'events') {
      if (text.charCodeAt(i) === LBRACKET) {
        const spans: EventSpans = { starts: [], ends: [], hasLineBreak: [], hasReservedKey: [] };
        i = skipWs(text, i + 1);
        while (text.charCodeAt(i) !== RBRACKET) {
          const scan = scanValue(text, i);
          spans.starts.push(i);
          spans.ends.push(scan.end);
          spans.hasLineBreak.push(scan.lineBreak);
          spans.hasReservedKey.push(scan.reservedKey);
          i = skipWs(text, scan.end);
          if (text.charCodeAt(i) === COMMA) i = skipWs(text, i + 1);
        }
        i++;
        found = spans;
      } else {
        i = scanValue(text, i).end;
        found = undefined;
      }
    } else {
      i = scanValue(text, i).end;
    }
    i = skipWs(text, i);
    if (text.charCodeAt(i) === COMMA) i = skipWs(text, i + 1);
  }
  return found;
}
