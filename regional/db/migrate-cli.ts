// `npm run migrate`: applies migrations to DATABASE_URL and (re)keys the llmo_app / llmo_system roles.
import * as v from 'valibot';
import { migrate } from './migrate.ts';

const Env = v.object({
  DATABASE_URL: v.pipe(v.string('is required'), v.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
  LLMO_APP_DB_PASSWORD: v.pipe(v.string('is required'), v.minLength(16, 'must be at least 16 characters')),
  LLMO_SYSTEM_DB_PASSWORD: v.pipe(v.string('is required'), v.minLength(16, 'must be at least 16 characters')),
});

const parsed = v.safeParse(Env, process.env);
if (!parsed.success) {
  const issue = parsed.issues[0];
  process.stderr.write(
    `Invalid configuration: ${String(issue?.path?.[0]?.key ?? 'environment')} ${issue?.message}\n`,
  );
  process.exit(2);
}
const env = parsed.output;
migrate({
  ownerUrl: env.DATABASE_URL,
  passwords: { app: env.LLMO_APP_DB_PASSWORD, system: env.LLMO_SYSTEM_DB_PASSWORD },
  log: (line) => process.stdout.write(`${line}\n`),
})
  .then((applied) => process.stdout.write(applied.length ? '' : 'schema up to date\n'))
  .catch((error: unknown) => {
    process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
