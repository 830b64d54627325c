// Sealed cookie values: confidentiality, integrity, purpose binding and expiry.
import { describe, expect, it } from 'vitest';
import { seal, unseal } from './seal.ts';

const SECRET = 'a-session-secret-of-at-least-32-characters';
const NOW = 1_800_000_000;

describe('seal / unseal', () => {
  it('round-trips a value without exposing it', () => {
    const value = { idToken: 'eyJhbGciOi.secret.part', email: 'ada@example.test' };
    const sealed = seal(value, SECRET, 'session', NOW + 60);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('eyJ');
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('ada@example.test');
    expect(unseal(sealed, SECRET, 'session', NOW)).toEqual(value);
  });

  it('uses a fresh IV each time', () => {
    expect(seal({ a: 1 }, SECRET, 'session', NOW + 60)).not.toBe(seal({ a: 1 }, SECRET, 'session', NOW + 60));
  });

  it('refuses a value after its expiry', () => {
    const sealed = seal({ a: 1 }, SECRET, 'session', NOW + 60);
    expect(unseal(sealed, SECRET, 'session', NOW + 59)).toEqual({ a: 1 });
    expect(unseal(sealed, SECRET, 'session', NOW + 60)).toBeUndefined();
  });

  it('refuses another secret or another purpose', () => {
    const sealed = seal({ a: 1 }, SECRET, 'sign-in', NOW + 60);
    expect(unseal(sealed, `${SECRET}!`, 'sign-in', NOW)).toBeUndefined();
    expect(unseal(sealed, SECRET, 'session', NOW)).toBeUndefined();
  });

  it('refuses any tampering', () => {
    const sealed = seal({ role: 'member' }, SECRET, 'session', NOW + 60);
    const raw = Buffer.from(sealed, 'base64url');
    for (const index of [0, 12, 20, raw.length - 1]) {
      const copy = Buffer.from(raw);
      copy[index] = (copy[index] ?? 0) ^ 1;
      expect(unseal(copy.toString('base64url'), SECRET, 'session', NOW)).toBeUndefined();
    }
  });

  it.each([undefined, '', 'not base64!', 'AAAA', 'x'.repeat(500)])('refuses garbage %#', (value) => {
    expect(unseal(value, SECRET, 'session', NOW)).toBeUndefined();
  });
});
