// Lambda entry that migrates Aurora from inside the VPC: (re)keys the service roles, then applies migrations.
import * as v from 'valibot';
import { migrate } from '../../../regional/db/migrate.ts';

// Same variables as `npm run migrate` (regional/db/migrate-cli.ts), filled by the core stack from the
// role secrets; so the two paths cannot drift apart.
const password = v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters')));
const Env = v.pipe(
  v.object({
    DATABASE_URL: v.pipe(
      v.string('is required'),
      v.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    ),
    LLMO_APP_DB_PASSWORD: password,
    LLMO_SYSTEM_DB_PASSWORD: password,
  }),
  // Both or neither: without them the roles are left as they are (see ensureRoles).
  v.check(
    (e) => (e.LLMO_APP_DB_PASSWORD === undefined) === (e.LLMO_SYSTEM_DB_PASSWORD === undefined),
    'LLMO_APP_DB_PASSWORD and LLMO_SYSTEM_DB_PASSWORD must be set together',
  ),
);

/** Invoked by the operator after each deploy (`aws lambda invoke`); returns the migrations it applied. */
export async function handler(): Promise<{ applied: string[] }> {
  const parsed = v.safeParse(Env, process.env);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    // Names the variable, never its value (they hold passwords).
    const key = issue?.path?.[0]?.key;
    throw new Error(`Invalid configuration: ${key === undefined ? '' : `${String(key)} `}${issue?.message}`);
  }
  const env = parsed.output;
  const lines: string[] = [];
  const applied = await migrate({
    ownerUrl: env.DATABASE_URL,
    ...(env.LLMO_APP_DB_PASSWORD && env.LLMO_SYSTEM_DB_PASSWORD
      ? { passwords: { app: env.LLMO_APP_DB_PASSWORD, system: env.LLMO_SYSTEM_DB_PASSWORD } }
      : {}),
    log: (line) => lines.push(line),
  });
  for (const line of lines) console.log(JSON.stringify({ level: 'INFO', message: line }));
  return { applied };
}
