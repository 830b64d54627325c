// `npm run org -- create --name NAME`: the operators' path to a new organization, printed as JSON.
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { createPool } from '../../regional/db/pool.ts';
import { withTransaction } from '../../regional/db/tenant.ts';
import { databaseUrls } from '../../regional/db/urls.ts';
import { createOrganization, InvalidOrganizationError } from '../../regional/ops/organizations.ts';
import { parseEnv } from '../../runtime/env.ts';
import { loadLocalConfig } from './config.ts';
import { readSecrets } from './secrets.ts';
import { readStackFile } from './stack-file.ts';

const USAGE = 'usage: npm run org -- create --name NAME';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    options: { name: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals[0] !== 'create' || positionals.length !== 1 || values.name === undefined) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const config = loadLocalConfig();
  // Who ran the command, for the audit log (the login name; absent in some containers).
  const { USER: operator } = parseEnv(v.object({ USER: v.optional(v.string()) }));
  const secrets = await readSecrets(config.dataDir);
  // The running stack's database (whatever port it was started with), else the configured port.
  const ownerUrl =
    config.databaseUrl ??
    (await readStackFile(config.dataDir))?.database_url ??
    `postgres://postgres:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${config.ports.postgres}/postgres`;
  const { system } = databaseUrls(ownerUrl, { app: secrets.appPassword, system: secrets.systemPassword });
  const pool = createPool(system, { max: 1, applicationName: 'llmo-org-cli' });
  try {
    const org = await withTransaction(pool, (client) =>
      createOrganization(client, values.name ?? '', { sub: 'system:operator-cli', email: operator }),
    );
    process.stdout.write(`${JSON.stringify(org)}\n`);
  } catch (error) {
    if (error instanceof InvalidOrganizationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
      process.stderr.write('Cannot reach PostgreSQL: start the local stack first (npm start).\n');
      process.exit(1);
    }
    throw error;
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
