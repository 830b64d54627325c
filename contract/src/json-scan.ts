// The one JSON text scanner: finds members and values in JSON that JSON.parse has already accepted, without re-serialising.
//
// Why: envelope lines embed each event exactly as the client serialised it, so neither the edge (cutting
// the events out of a batch) nor the loader (taking the event out of an envelope line) re-stringifies,
// which measured as costly as JSON.parse itself. The input is known-valid JSON, so the scanner stays
// small: it skips strings with indexOf and looks at structural characters only.

import { RESERVED_KEYS } from './event-v1-limits.ts';

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

/** Index of the first non-whitespace character at or after `i`. */
export function skipWs(text: string, i: number): number {
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

/** Where one JSON value ends, and what its text contains. */
export interface ValueScan {
  /** Index just past the value. */
  end: number;
  /** A CR or LF between tokens (must not reach an NDJSON line as is). */
  lineBreak: boolean;
  /** A reserved object key (`__proto__`, `constructor`, `prototype`) at any depth. */
  reservedKey: boolean;
}

/** Scans one JSON value starting at `i` (no leading whitespace). */
export function scanValue(text: string, i: number): ValueScan {
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
 * Walks the members of the root object of `text` in order, calling `visit(key, valueStart)` for each.
 * `visit` may consume the value itself and return the index just past it; returning undefined lets the
 * walker skip it. Returns false (and visits nothing) when the root is not an object.
 */
export function scanTopLevelMembers(
  text: string,
  visit: (key: string, valueStart: number) => number | undefined,
): boolean {
  let i = skipWs(text, 0);
  if (text.charCodeAt(i) !== LBRACE) return false;
  i = skipWs(text, i + 1);
  while (i < text.length && text.charCodeAt(i) !== RBRACE) {
    const keyEnd = stringEnd(text, i);
    const key = stringValue(text, i, keyEnd);
    i = skipWs(text, skipWs(text, keyEnd + 1) + 1); // past ':'
    i = skipWs(text, visit(key, i) ?? scanValue(text, i).end);
    if (text.charCodeAt(i) === COMMA) i = skipWs(text, i + 1);
  }
  return true;
}

/**
 * The exact text of the object-valued member `key` of the root object (the last one if repeated, as
 * JSON.parse keeps the last), or undefined when it is missing or not an object.
 */
export function topLevelObjectMember(json: string, key: string): string | undefined {
  let found: string | undefined;
  scanTopLevelMembers(json, (name, start) => {
    if (name !== key) return undefined;
    if (json.charCodeAt(start) !== LBRACE) {
      found = undefined;
      return undefined;
    }
    const end = scanValue(json, start).end;
    found = json.slice(start, end);
    return end;
  });
  return found;
}

/** Spans of the elements of a top-level array member, plus per-element flags. */
export interface ElementSpans {
  /** starts[i]..ends[i] (exclusive) is the raw text of element i. */
  starts: number[];
  ends: number[];
  hasLineBreak: boolean[];
  hasReservedKey: boolean[];
}

/**
 * Spans of the elements of the array-valued member `key` of the root object (the last one if repeated),
 * or undefined when it is missing or not an array.
 */
export function topLevelArraySpans(text: string, key: string): ElementSpans | undefined {
  let found: ElementSpans | undefined;
  scanTopLevelMembers(text, (name, start) => {
    if (name !== key) return undefined;
    if (text.charCodeAt(start) !== LBRACKET) {
      found = undefined;
      return undefined;
    }
    const spans: ElementSpans = { starts: [], ends: [], hasLineBreak: [], hasReservedKey: [] };
    let i = skipWs(text, start + 1);
    while (text.charCodeAt(i) !== RBRACKET) {
      const scan = scanValue(text, i);
      spans.starts.push(i);
      spans.ends.push(scan.end);
      spans.hasLineBreak.push(scan.lineBreak);
      spans.hasReservedKey.push(scan.reservedKey);
      i = skipWs(text, scan.end);
      if (text.charCodeAt(i) === COMMA) i = skipWs(text, i + 1);
    }
    found = spans;
    return i + 1;
  });
  return found;
}
