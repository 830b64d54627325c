// `npm run migrate`: applies migrations as the owner (DATABASE_URL) and (re)keys the llmo_app / llmo_system roles.
import * as v from 'valibot';
import { parseEnv } from '../../runtime/env.ts';
import { roleCredentials } from './credentials.ts';
import { migrate } from './migrate.ts';

const password = v.pipe(v.string('is required'), v.minLength(16, 'must be at least 16 characters'));
const Env = v.object({
  LLMO_APP_DB_PASSWORD: password,
  LLMO_SYSTEM_DB_PASSWORD: password,
});

let env: v.InferOutput<typeof Env>;
let owner: ReturnType<typeof roleCredentials>;
try {
  // The owner's credentials as every tool reads them (regional/db/credentials.ts): DATABASE_URL here.
  owner = roleCredentials('owner');
  env = parseEnv(Env);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
owner
  .url()
  .then((ownerUrl) =>
    migrate({
      ownerUrl,
      passwords: { app: env.LLMO_APP_DB_PASSWORD, system: env.LLMO_SYSTEM_DB_PASSWORD },
      log: (line) => process.stdout.write(`${line}\n`),
    }),
  )
  .then((applied) => process.stdout.write(applied.length ? '' : 'schema up to date\n'))
  .catch((error: unknown) => {
    process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
