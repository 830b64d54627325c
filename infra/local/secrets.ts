// Local-only secrets (database role passwords, cookie key, demo password), generated once into .data/.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type KeyTagSecret, newKeyTagSecret } from '../../contract/index.ts';

/** Everything the local stack must keep stable across restarts; never committed (.data/ is ignored). */
export interface LocalSecrets {
  postgresPassword: string;
  appPassword: string;
  systemPassword: string;
  cookieSecret: string;
  demoPassword: string;
  /** Secret of the API keys' prefix tags (the edge refuses keys not tagged with it, unread). */
  keyTagSecret: string;
}

const fresh = (): LocalSecrets => ({
  postgresPassword: randomBytes(18).toString('base64url'),
  appPassword: randomBytes(18).toString('base64url'),
  systemPassword: randomBytes(18).toString('base64url'),
  cookieSecret: randomBytes(32).toString('base64url'),
  demoPassword: `demo-${randomBytes(6).toString('base64url')}`,
  keyTagSecret: newKeyTagSecret(),
});

/** Version of the local tag secret: one secret, never rotated (delete `.data/` for a new one). */
const LOCAL_KEY_TAG_VERSION = 'L';

/** The tag secret the local admin API mints keys with. */
export const localKeyTag = (secrets: LocalSecrets): KeyTagSecret => ({
  version: LOCAL_KEY_TAG_VERSION,
  secret: secrets.keyTagSecret,
});

/** The tag secrets the local edge accepts (version → secret). */
export const localKeyTagSecrets = (secrets: LocalSecrets): Record<string, string> => ({
  [LOCAL_KEY_TAG_VERSION]: secrets.keyTagSecret,
});

/** The path of the secrets file inside a data dir. */
export const secretsFile = (dataDir: string): string => path.join(dataDir, 'secrets.json');

/** Reads `.data/secrets.json`, creating it (mode 0600) on first start; missing fields are filled in. */
export async function loadOrCreateSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = secretsFile(dataDir);
  let existing: Partial<LocalSecrets> = {};
  try {
    existing = JSON.parse(await readFile(file, 'utf8')) as Partial<LocalSecrets>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secrets = { ...fresh(), ...existing };
  if (Object.keys(existing).length !== Object.keys(secrets).length) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

/** Reads the secrets of a stack that has started at least once; a clear error otherwise. */
export async function readSecrets(dataDir: string): Promise<LocalSecrets> {
  try {
    return JSON.parse(await readFile(secretsFile(dataDir), 'utf8')) as LocalSecrets;
  } catch (cause) {
    throw new Error(`No local stack in ${dataDir}: run \`npm start\` first.`, { cause });
  }
}
