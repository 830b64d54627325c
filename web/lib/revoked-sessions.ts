// Sessions ended by sign-out, remembered server-side until they would have expired anyway: a copied cookie stops working.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * A revocation list of session ids. Each entry lives until its session's expiry (after that the sealed
 * cookie is refused anyway). With a file, entries are appended as `sid exp` lines and read back at start,
 * so a restart of the dashboard does not bring signed-out sessions back.
 */
export class RevokedSessions {
  private readonly entries = new Map<string, number>();

  constructor(private readonly file?: string) {
    if (!file) return;
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const now = Math.floor(Date.now() / 1000);
    for (const line of text.split('\n')) {
      const [sid, exp] = line.split(' ');
      if (sid && SID.test(sid) && Number(exp) > now) this.entries.set(sid, Number(exp));
    }
  }

  /** Ends a session for good; `exp` is when it would have expired (seconds since the epoch). */
  revoke(sid: string, exp: number): void {
    if (!SID.test(sid)) return;
    this.entries.set(sid, exp);
    if (this.file) {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      appendFileSync(this.file, `${sid} ${exp}\n`, { mode: 0o600 });
    }
  }

  /** Whether this session was signed out; forgets entries whose sessions have expired. */
  isRevoked(sid: string, nowSeconds: number): boolean {
    const exp = this.entries.get(sid);
    if (exp === undefined) return false;
    if (exp <= nowSeconds) {
      this.entries.delete(sid);
      return false;
    }
    return true;
  }
}
