// Generates the dashboard's API types (web/lib/openapi.gen.ts) from regional/openapi.json with openapi-typescript.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
/** Where `npm run api:types` writes, relative to the repository root. */
export const WEB_TYPES_FILE = 'web/lib/openapi.gen.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The spec with its external JSON Schema references (the telemetry event of contract/) folded into
 * `components.schemas`. openapi-typescript 7 would otherwise emit the event schema's `$defs` as a
 * required `$defs` property of the event, and a schema that constrains arrays and objects but names no
 * `type` (any JSON value) as an object only; here `$defs` become component schemas and such a schema
 * lists every JSON type, which means the same to a validator.
 */
export function foldedSpec(specFile = path.join(root, 'regional/openapi.json')): OpenAPI3 {
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as JsonObject;
  const added = new Map<string, string>(); // external file → component name
  const folded: JsonObject = {};
  const put = (name: string, schema: Json) => {
    if (name in folded) throw new Error(`${specFile}: two folded schemas are named ${name}`);
    folded[name] = schema;
  };
  const fold = (file: string): string => {
    const known = added.get(file);
    if (known) return known;
    const external = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
    const name = path.basename(file, '.json');
    added.set(file, name);
    const { $defs, $schema: _s, $id: _i, ...schema } = external;
    const local = (v: Json): Json =>
      rewrite(v, (ref) => (ref.startsWith('#/$defs/') ? `#/components/schemas/${ref.slice(8)}` : ref));
    put(name, local(schema));
    for (const [defName, def] of Object.entries(isObject($defs) ? $defs : {})) put(defName, local(def));
    return name;
  };
  const dir = path.dirname(specFile);
  const result = rewrite(spec, (ref) =>
    ref.startsWith('#') ? ref : `#/components/schemas/${fold(path.resolve(dir, ref))}`,
  ) as JsonObject;
  const schemas = (result.components as JsonObject).schemas as JsonObject;
  for (const [name, schema] of Object.entries(folded)) {
    if (name in schemas) throw new Error(`${specFile}: folding ${name} would replace an existing schema`);
    schemas[name] = schema;
  }
  return anyJsonTyped(result) as unknown as OpenAPI3;
}

/** Copies `v` with every `$ref` passed through `to`. */
function rewrite(v: Json, to: (ref: string) => string): Json {
  if (Array.isArray(v)) return v.map((x) => rewrite(x, to));
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v))
    out[k] = k === '$ref' && typeof x === 'string' ? to(x) : rewrite(x, to);
  return out;
}

/** Copies `v`, giving a schema that has `items` and `additionalProperties` but no `type` every JSON type. */
function anyJsonTyped(v: Json): Json {
  if (Array.isArray(v)) return v.map(anyJsonTyped);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k] = anyJsonTyped(x);
  if (!('type' in v) && 'items' in v && 'additionalProperties' in v) {
    out.type = ['string', 'number', 'boolean', 'null', 'array', 'object'];
  }
  return out;
}

/** The text of web/lib/openapi.gen.ts for the spec as it is now. */
export async function generateWebTypes(): Promise<string> {
  return `${COMMENT_HEADER}${astToString(await openapiTS(foldedSpec(), { silent: true }))}`;
}
