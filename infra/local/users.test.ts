// The local user pool's password hashing and stable subjects.
import { describe, expect, it } from 'vitest';
import { checkPassword, hashPassword, userSub } from './users.ts';

describe('local users', () => {
  it('checks a password against its salted scrypt hash', () => {
    const stored = hashPassword('s3cret pass');
    expect(stored).not.toContain('s3cret');
    expect(checkPassword('s3cret pass', stored)).toBe(true);
    expect(checkPassword('s3cret pasS', stored)).toBe(false);
    expect(hashPassword('s3cret pass')).not.toBe(stored);
  });

  it('refuses malformed stored hashes instead of throwing', () => {
    for (const stored of ['', 'scrypt$', 'md5$a$b', 'scrypt$c2FsdA==$c2hvcnQ=']) {
      expect(checkPassword('x', stored)).toBe(false);
    }
  });

  it('derives one UUID-shaped subject per email, case-insensitively', () => {
    expect(userSub('Ada@Example.com')).toBe(userSub('ada@example.com'));
    expect(userSub('ada@example.com')).not.toBe(userSub('bob@example.com'));
    expect(userSub('ada@example.com')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
