// `npm run contract:check`: fails (exit 1, naming the field) when a working schema breaks its released
// copy, or when the Python SDK's shipped schema is not byte-equal to the released one.
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkReleasedSchemas, checkShippedCopies } from './check-released.ts';

const contractDir = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
const sdkSchemaDir = process.argv[3] ?? join(contractDir, '..', 'sdk', 'python', 'llm_observer', 'schema');
const results = [checkReleasedSchemas(contractDir), checkShippedCopies(contractDir, sdkSchemaDir)];
const shown = (line: string) => line.replaceAll(`${join(contractDir, '..')}/`, '');
for (const result of results) {
  for (const line of result.lines) console.log(shown(line));
  for (const line of result.errors) console.error(shown(line));
}
if (!results.every((r) => r.ok)) {
  console.error(
    'contract:check failed. 1.x may only add optional fields or enum values; a break needs v2. ' +
      `Shipped copies (${relative(process.cwd(), sdkSchemaDir) || '.'}) must equal released/.`,
  );
  process.exit(1);
}
console.log('contract:check passed');
