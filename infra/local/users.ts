// The local user pool: the issuer's accounts (email, password hash, org, role), kept in .data/users.json.
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

/** One account of the local issuer, shaped like a Cognito user with its custom attribute and group. */
export interface LocalUser {
  sub: string;
  email: string;
  orgId: string;
  role: 'admin' | 'member';
  /** `scrypt$<salt b64>$<hash b64>`; the password itself is never stored. */
  passwordHash: string;
}

/**
 * A stable subject for an email, so that a token minted by the CLI and a token from an interactive
 * sign-in name the same user (UUID-shaped, like Cognito's `sub`).
 */
export function userSub(email: string): string {
  const h = createHash('sha256').update(`llmo-local-user:${email.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Hashes a password with scrypt and a random salt. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${scryptSync(password, salt, 32).toString('base64')}`;
}

/** Constant-time password check against a stored hash; false for any malformed hash. */
export function checkPassword(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length);
  return expected.length === 32 && timingSafeEqual(actual, expected);
}

/** Reads the user file; a missing file is an empty pool. */
export async function readUsers(file: string): Promise<LocalUser[]> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LocalUser[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Adds or replaces users by email (atomic file replace). */
export async function upsertUsers(file: string, users: LocalUser[]): Promise<void> {
  const byEmail = new Map((await readUsers(file)).map((u) => [u.email.toLowerCase(), u]));
  for (const u of users) byEmail.set(u.email.toLowerCase(), u);
  await writeFile(`${file}.tmp`, JSON.stringify([...byEmail.values()], null, 2), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}
