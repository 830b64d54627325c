// The post-sign-in return path: local pages only, whatever encoding tries to reach another host.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_TO, safeReturnTo } from './return-to.ts';

const BASE = 'http://localhost:3000';

describe('safeReturnTo', () => {
  it('keeps local paths with their query', () => {
    expect(safeReturnTo('/events?model=gpt-4o&status=error', BASE)).toBe('/events?model=gpt-4o&status=error');
    expect(safeReturnTo('/admin/keys', BASE)).toBe('/admin/keys');
    expect(safeReturnTo('/events/abc#trace', BASE)).toBe('/events/abc#trace');
  });

  // Each as the login route receives it: the query parameter already percent-decoded once.
  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '/\t/evil.example/x',
    '/\n/evil.example/x',
    '/\r\\evil.example/x',
    '/\r\n/evil.example',
    '\t//evil.example',
    '/\\/evil.example',
    '/.//evil.example',
    '/%2e//evil.example',
    'javascript:alert(1)',
    'evil.example',
    '',
    null,
    undefined,
    '/api/auth/login',
    '/api/auth/logout',
  ])('sends %j to the overview instead', (candidate) => {
    expect(safeReturnTo(candidate, BASE)).toBe(DEFAULT_RETURN_TO);
  });

  it('never returns anything that resolves to another origin (decoded once or twice)', () => {
    const hostile = ['%09', '%0A', '%0D', '%0D%5C', '%5C', '%2F', '\t', '\n', '\r', '\\', '/'];
    for (const a of hostile) {
      for (const b of hostile) {
        const raw = `/${a}${b}evil.example/x`;
        for (const candidate of [raw, safeDecode(raw)]) {
          const answer = safeReturnTo(candidate, BASE);
          expect(new URL(answer, BASE).origin, `${JSON.stringify(candidate)} → ${answer}`).toBe(BASE);
        }
      }
    }
  });
});

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
