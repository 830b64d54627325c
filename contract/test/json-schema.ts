// Test helper: the event JSON Schema compiled with ajv (draft 2020-12 + formats), issues as dotted paths.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is module.exports, whose .default is the plugin.
const addFormats = addFormatsModule.default;

/** Reads a JSON file relative to contract/. */
export function readContractJson(relative: string): unknown {
  return JSON.parse(readFileSync(new URL(`../${relative}`, import.meta.url), 'utf8'));
}

/** A fresh ajv instance as any consumer of the published schema would configure it. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

/** Dotted path of one ajv error, in the ContractIssue convention (missing and bad keys name the key). */
export function ajvErrorPath(error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  else if (error.propertyName !== undefined) segments.push(error.propertyName);
  else if (error.keyword === 'propertyNames') segments.push(String(error.params.propertyName));
  return segments.join('.');
}

/** Validator for the working event schema (contract/telemetry_event_v1.json). */
export function compileEventSchema(file = 'telemetry_event_v1.json') {
  const validate = createAjv().compile(readContractJson(file) as object);
  return (input: unknown): { ok: boolean; paths: string[] } => {
    const ok = validate(input);
    return {
      ok,
      paths: ok ? [] : (validate.errors ?? []).filter((e) => e.keyword !== 'if').map(ajvErrorPath),
    };
  };
}
