// Finds the source text of one top-level member of a JSON object without re-serialising it.

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Returns the exact text of the object-valued member `key` at the top level of `json` (the last one
 * if repeated, as JSON.parse keeps the last), or undefined. `json` must already be known to be valid
 * JSON (the caller parsed it): this is a single linear scan, several times cheaper than
 * JSON.stringify of the parsed value, and keeps the text as the producer wrote it.
 */
export function topLevelObjectMember(json: string, key: string): string | undefined {
  const n = json.length;
  let depth = 0;
  let found: string | undefined;
  let captureFrom = -1; // index of the '{' starting the wanted value, while inside it
  let expectValue = false; // saw `"key":` at depth 1; the next '{' starts the value
  for (let i = 0; i < n; i++) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      for (i++; i < n; i++) {
        const d = json.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      if (depth === 1 && captureFrom < 0 && i - start - 1 === key.length && json.startsWith(key, start + 1)) {
        let j = i + 1;
        while (j < n && isSpace(json.charCodeAt(j))) j++;
        if (json.charCodeAt(j) === COLON) {
          j++;
          while (j < n && isSpace(json.charCodeAt(j))) j++;
          expectValue = json.charCodeAt(j) === OPEN_BRACE;
          i = j - 1;
        }
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (expectValue && depth === 2) {
        captureFrom = i;
        expectValue = false;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (captureFrom >= 0 && depth === 1) {
        found = json.slice(captureFrom, i + 1);
        captureFrom = -1;
      }
    }
  }
  return found;
}
