// Checks recorded HTTP answers against an OpenAPI 3.1 document with ajv (JSON Schema 2020-12), for the contract tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const CONTRACT_DIR = fileURLToPath(new URL('../../../contract/', import.meta.url));
const CONTRACT_SCHEMAS = ['telemetry_event_v1.json', 'ingest_batch_v1.json', 'envelope_v1.json'];

type Json = Record<string, unknown>;
type Operation = { operationId: string; responses: Record<string, Json> };

/** One answer seen by a test. */
export type Recorded = { method: string; path: string; status: number; headers: Headers; body: unknown };

/** Rewrites the document's file references (`../contract/x.json`) to the contract schemas' own `$id`s. */
function resolveContractRefs(node: unknown, ids: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => resolveContractRefs(n, ids));
  if (node && typeof node === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === '$ref' && typeof v === 'string' && ids.has(v) ? ids.get(v) : resolveContractRefs(v, ids);
    }
    return out;
  }
  return node;
}

/** An OpenAPI document ready to judge answers; remembers which (operation, status) pairs it has seen. */
export function openApiChecker(docPath: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true });
  addFormats.default(ajv);
  const ids = new Map<string, string>();
  for (const file of CONTRACT_SCHEMAS) {
    const schema = JSON.parse(readFileSync(`${CONTRACT_DIR}${file}`, 'utf8')) as Json;
    ajv.addSchema(schema);
    ids.set(`../contract/${file}`, String(schema.$id));
  }
  const doc = resolveContractRefs(JSON.parse(readFileSync(docPath, 'utf8')), ids) as Json & {
    paths: Record<string, Record<string, Operation>>;
  };
  const docId = 'https://llm-observer.cloud/openapi/checked.json';
  ajv.addSchema({ ...doc, $id: docId });

  const routes = Object.entries(doc.paths).map(([template, item]) => ({
    template,
    item,
    re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const covered = new Set<string>();
  const pointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

  return {
    doc,
    /** Throws with ajv's errors unless the answer is documented and matches its schema. */
    check(r: Recorded): void {
      const route = routes.find((x) => x.re.test(r.path));
      if (!route) throw new Error(`${r.method} ${r.path}: path not in the document`);
      const method = r.method.toLowerCase();
      const status = String(r.status);
      // A method the path does not have must be answered 405, shaped like the path's documented 405s.
      const fallback =
        status === '405'
          ? Object.entries(route.item).find(([m, o]) => m !== 'parameters' && o.responses['405'])
          : undefined;
      const opMethod = route.item[method] ? method : fallback?.[0];
      const op = route.item[method] ?? fallback?.[1];
      if (!op || !opMethod) {
        throw new Error(`${r.method} ${route.template}: method not in the document (status ${r.status})`);
      }
      const response = op.responses[status] ?? op.responses.default;
      if (!response) throw new Error(`${r.method} ${route.template}: status ${status} not documented`);
      if (!r.headers.get('x-request-id'))
        throw new Error(`${r.method} ${route.template}: no x-request-id header`);
      const respPath = op.responses[status] ? status : 'default';
      // Follow a $ref to components/responses when the operation uses one.
      const ref = (response as { $ref?: string }).$ref;
      const base = ref
        ? `${docId}${ref}`
        : `${docId}#/paths/${pointer(route.template)}/${opMethod}/responses/${respPath}`;
      const validate =
        ajv.getSchema(`${base}/content/application~1json/schema`) ??
        ajv.compile({ $ref: `${base}/content/application~1json/schema` });
      if (!validate(r.body)) {
        throw new Error(
          `${r.method} ${route.template} ${status}: body does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(r.body).slice(0, 500)}`,
        );
      }
      covered.add(`${op.operationId} ${status}`);
    },
    /** Operations never answered with a 2xx during the test. */
    uncoveredSuccesses(): string[] {
      const missing: string[] = [];
      for (const { item } of routes) {
        for (const [method, op] of Object.entries(item)) {
          if (method === 'parameters') continue;
          const ok = Object.keys(op.responses).filter((s) => s.startsWith('2'));
          if (!ok.some((s) => covered.has(`${op.operationId} ${s}`))) missing.push(op.operationId);
        }
      }
      return missing;
    },
    covered,
  };
}
