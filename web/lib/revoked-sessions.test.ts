// The sign-out revocation list: refuses revoked sessions until their expiry, across a restart when kept in a file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RevokedSessions } from './revoked-sessions.ts';

const NOW = Math.floor(Date.now() / 1000);
const SID = 'c2Vzc2lvbi1pZC1vbmUtMTIz';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('RevokedSessions', () => {
  it('refuses a revoked session until it would have expired', () => {
    const list = new RevokedSessions();
    expect(list.isRevoked(SID, NOW)).toBe(false);
    list.revoke(SID, NOW + 60);
    expect(list.isRevoked(SID, NOW)).toBe(true);
    expect(list.isRevoked('b3RoZXItc2Vzc2lvbi1pZA', NOW)).toBe(false);
    expect(list.isRevoked(SID, NOW + 60)).toBe(false);
  });

  it('keeps revocations across a restart when given a file, and drops expired ones', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'llmo-revoked-'));
    dirs.push(dir);
    const file = path.join(dir, 'web', 'revoked-sessions');
    const first = new RevokedSessions(file);
    first.revoke(SID, NOW + 3600);
    first.revoke('ZXhwaXJlZC1zZXNzaW9uLWlk', NOW - 1);
    const second = new RevokedSessions(file);
    expect(second.isRevoked(SID, NOW)).toBe(true);
    expect(second.isRevoked('ZXhwaXJlZC1zZXNzaW9uLWlk', NOW - 10)).toBe(false);
  });

  it('ignores ids that are not session ids (nothing odd reaches the file)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'llmo-revoked-'));
    dirs.push(dir);
    const file = path.join(dir, 'revoked');
    const list = new RevokedSessions(file);
    list.revoke('bad id\nforged 9999999999', NOW + 60);
    expect(() => readFileSync(file)).toThrow();
  });
});
