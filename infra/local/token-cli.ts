// `npm run token -- --email E --org ORG --role admin|member`: prints only a JWT from the local issuer.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_CLIENT_ID } from './client-id.ts';
import { loadLocalConfig } from './config.ts';
import { loadOrCreateSigningJwk } from './issuer-keys.ts';
import { mintToken } from './mint-token.ts';
import { readStackFile } from './stack-file.ts';
import { userSub } from './users.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USAGE = 'usage: npm run token -- --email EMAIL --org ORG_ID --role admin|member [--ttl SECONDS]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: 'string' },
        org: { type: 'string' },
        role: { type: 'string' },
        ttl: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const { email, org, role = 'member', ttl = '3600' } = values;
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) fail('--email must be an email address');
  if (!org || !UUID.test(org))
    fail('--org must be an organization id (UUID); see .data/stack.json demo.org_id');
  if (role !== 'admin' && role !== 'member') fail('--role must be admin or member');
  if (!/^\d{1,6}$/.test(ttl) || Number(ttl) < 1) fail('--ttl must be a number of seconds');

  const config = loadLocalConfig();
  // The issuer of the running stack (whatever ports it was started with), else the configured port.
  const issuer = (await readStackFile(config.dataDir))?.issuer ?? `http://localhost:${config.ports.issuer}`;
  const key = await loadOrCreateSigningJwk(path.join(config.dataDir, 'oidc', 'signing-key.json'));
  const token = await mintToken(
    { sub: userSub(email), email, orgId: org.toLowerCase(), role },
    {
      issuer,
      audience: LOCAL_CLIENT_ID,
      key,
      expiresInSeconds: Number(ttl),
    },
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
