// Sealed cookie values: confidentiality, integrity, purpose binding and expiry.
import { describe, expect, it } from 'vitest';
import { seal, unseal } from './seal.ts';

const SECRET = 'a-session-secret-of-at-least-32-characters';
const NOW = 1_800_000_000;

describe('seal / unseal', () => {
  it('round-trips a value without exposing it', async () => {
    const value = { idToken: 'eyJhbGciOi.secret.part', email: 'ada@example.test' };
    const sealed = await seal(value, SECRET, 'session', NOW + 60);
    expect(sealed).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(sealed).not.toContain('eyJhbGciOi.secret');
    for (const part of sealed.split('.')) {
      expect(Buffer.from(part, 'base64url').toString('latin1')).not.toContain('ada@example.test');
    }
    await expect(unseal(sealed, SECRET, 'session', NOW)).resolves.toEqual(value);
  });

  it('uses a fresh IV each time', async () => {
    expect(await seal({ a: 1 }, SECRET, 'session', NOW + 60)).not.toBe(
      await seal({ a: 1 }, SECRET, 'session', NOW + 60),
    );
  });

  it('refuses a value after its expiry', async () => {
    const sealed = await seal({ a: 1 }, SECRET, 'session', NOW + 60);
    await expect(unseal(sealed, SECRET, 'session', NOW + 59)).resolves.toEqual({ a: 1 });
    await expect(unseal(sealed, SECRET, 'session', NOW + 60)).resolves.toBeUndefined();
  });

  it('refuses another secret or another purpose', async () => {
    const sealed = await seal({ a: 1 }, SECRET, 'sign-in', NOW + 60);
    await expect(unseal(sealed, `${SECRET}!`, 'sign-in', NOW)).resolves.toBeUndefined();
    await expect(unseal(sealed, SECRET, 'session', NOW)).resolves.toBeUndefined();
  });

  it('refuses any tampering', async () => {
    const sealed = await seal({ role: 'member' }, SECRET, 'session', NOW + 60);
    const parts = sealed.split('.');
    // Header, IV, ciphertext and tag: flipping a bit in any of them breaks the seal.
    for (const index of [0, 2, 3, 4]) {
      const raw = Buffer.from(parts[index] ?? '', 'base64url');
      raw[0] = (raw[0] ?? 0) ^ 1;
      const copy = [...parts];
      copy[index] = raw.toString('base64url');
      await expect(unseal(copy.join('.'), SECRET, 'session', NOW)).resolves.toBeUndefined();
    }
  });

  it.each([undefined, '', 'not base64!', 'AAAA', 'a.b.c.d.e', 'x'.repeat(9000)])(
    'refuses garbage %#',
    async (value) => {
      await expect(unseal(value, SECRET, 'session', NOW)).resolves.toBeUndefined();
    },
  );
});
