// `npm run contract:check`: fails (exit 1, naming the field) when a working schema breaks its released copy.
import { fileURLToPath } from 'node:url';
import { checkReleasedSchemas } from './check-released.ts';

const contractDir = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
const result = checkReleasedSchemas(contractDir);
for (const line of result.lines) console.log(line);
for (const line of result.errors) console.error(line);
if (!result.ok) {
  console.error('contract:check failed. 1.x may only add optional fields or enum values; a break needs v2.');
  process.exit(1);
}
console.log('contract:check passed');
