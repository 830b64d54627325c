// `npm run api:types`: rewrites web/lib/openapi.gen.ts from regional/openapi.json.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateWebTypes, WEB_TYPES_FILE } from './web-types.ts';

const file = path.resolve(import.meta.dirname, '..', '..', '..', WEB_TYPES_FILE);
writeFileSync(file, await generateWebTypes(), 'utf8');
process.stderr.write(`wrote ${WEB_TYPES_FILE}\n`);
