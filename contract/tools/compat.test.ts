// The compatibility checker catches every kind of breaking change and lets additive changes through.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BreakingKind, compareSchemas, type JsonSchema } from './compat.ts';

type Obj = Record<string, unknown>;

const released = JSON.parse(
  readFileSync(new URL('../released/telemetry_event_v1.json', import.meta.url), 'utf8'),
) as Obj;

/** A deep copy of the released event schema, changed by `edit`. */
function edited(edit: (s: Obj & { properties: Obj; $defs: Obj }) => void): JsonSchema {
  const copy = structuredClone(released) as Obj & { properties: Obj; $defs: Obj };
  edit(copy);
  return copy;
}

const prop = (s: { properties: Obj }, name: string) => s.properties[name] as Obj;
const def = (s: { $defs: Obj }, name: string) => s.$defs[name] as Obj;
const objProp = (s: { properties: Obj }, name: string, inner: string) =>
  (prop(s, name).properties as Obj)[inner] as Obj;

const breaks: Array<[string, BreakingKind, string, (s: Obj & { properties: Obj; $defs: Obj }) => void]> = [
  ['a removed property', 'property_removed', 'trace_id', (s) => delete s.properties.trace_id],
  [
    'a removed nested property',
    'property_removed',
    'usage.input_tokens',
    (s) => delete (prop(s, 'usage').properties as Obj).input_tokens,
  ],
  ['a changed type', 'type_narrowed', 'model', (s) => Object.assign(prop(s, 'model'), { type: 'number' })],
  [
    'number narrowed to integer',
    'type_narrowed',
    'cost_usd',
    (s) => Object.assign(prop(s, 'cost_usd'), { type: 'integer' }),
  ],
  [
    'a union type narrowed',
    'type_narrowed',
    'attributes.*',
    (s) => Object.assign(def(s, 'flat_map').additionalProperties as Obj, { type: ['string', 'number'] }),
  ],
  [
    'a new required property',
    'required_added',
    'response_model',
    (s) => (s.required as string[]).push('response_model'),
  ],
  [
    'a new required nested property',
    'required_added',
    'usage.input_tokens',
    (s) => Object.assign(prop(s, 'usage'), { required: ['input_tokens'] }),
  ],
  [
    'a removed enum value',
    'enum_value_removed',
    'status',
    (s) => Object.assign(prop(s, 'status'), { enum: ['ok'] }),
  ],
  [
    'an enum on a free field',
    'enum_value_removed',
    'environment',
    (s) => Object.assign(prop(s, 'environment'), { enum: ['production'] }),
  ],
  [
    'a const added',
    'const_changed',
    'schema_version',
    (s) => Object.assign(prop(s, 'schema_version'), { const: '1.0' }),
  ],
  [
    'maxLength lowered',
    'bound_tightened',
    'model',
    (s) => Object.assign(prop(s, 'model'), { maxLength: 255 }),
  ],
  ['minLength raised', 'bound_tightened', 'model', (s) => Object.assign(prop(s, 'model'), { minLength: 2 })],
  [
    'maximum lowered (through $ref)',
    'bound_tightened',
    'duration_ms',
    (s) => Object.assign(def(s, 'milliseconds'), { maximum: 1000 }),
  ],
  [
    'minimum raised',
    'bound_tightened',
    'cost_usd',
    (s) => Object.assign(prop(s, 'cost_usd'), { minimum: 1 }),
  ],
  [
    'exclusiveMinimum added',
    'bound_tightened',
    'cost_usd',
    (s) => Object.assign(prop(s, 'cost_usd'), { exclusiveMinimum: 0 }),
  ],
  [
    'exclusiveMaximum added',
    'bound_tightened',
    'cost_usd',
    (s) => Object.assign(prop(s, 'cost_usd'), { exclusiveMaximum: 10 }),
  ],
  [
    'maxItems lowered',
    'bound_tightened',
    'finish_reasons',
    (s) => Object.assign(prop(s, 'finish_reasons'), { maxItems: 4 }),
  ],
  [
    'minItems added',
    'bound_tightened',
    'finish_reasons',
    (s) => Object.assign(prop(s, 'finish_reasons'), { minItems: 1 }),
  ],
  [
    'item maxLength lowered',
    'bound_tightened',
    'finish_reasons[]',
    (s) => Object.assign(prop(s, 'finish_reasons').items as Obj, { maxLength: 8 }),
  ],
  [
    'maxProperties lowered',
    'bound_tightened',
    'attributes',
    (s) => Object.assign(def(s, 'flat_map'), { maxProperties: 10 }),
  ],
  [
    'a map value bound lowered',
    'bound_tightened',
    'attributes.*',
    (s) => Object.assign(def(s, 'flat_map').additionalProperties as Obj, { maxLength: 100 }),
  ],
  [
    'uniqueItems added',
    'bound_tightened',
    'finish_reasons',
    (s) => Object.assign(prop(s, 'finish_reasons'), { uniqueItems: true }),
  ],
  [
    'a pattern changed',
    'pattern_changed',
    'provider',
    (s) => Object.assign(prop(s, 'provider'), { pattern: '^[a-z]{1,64}$' }),
  ],
  [
    'a pattern added',
    'pattern_changed',
    'model',
    (s) => Object.assign(prop(s, 'model'), { pattern: '^[a-z]+$' }),
  ],
  [
    'a key pattern changed',
    'pattern_changed',
    'attributes{keys}',
    (s) => Object.assign(def(s, 'flat_map').propertyNames as Obj, { pattern: '^[a-z]{1,128}$' }),
  ],
  [
    'a format added',
    'format_changed',
    'session_id',
    (s) => Object.assign(prop(s, 'session_id'), { format: 'uuid' }),
  ],
  [
    'additionalProperties false',
    'additional_properties_tightened',
    'sdk.*',
    (s) => Object.assign(prop(s, 'sdk'), { additionalProperties: false }),
  ],
  [
    'additionalProperties false at the root',
    'additional_properties_tightened',
    '*',
    (s) => Object.assign(s, { additionalProperties: false }),
  ],
  [
    'additionalProperties constrained',
    'additional_properties_tightened',
    'usage.*',
    (s) => Object.assign(prop(s, 'usage'), { additionalProperties: { type: 'integer' } }),
  ],
  [
    'more reserved keys',
    'schema_tightened',
    '(root){keys}',
    (s) =>
      Object.assign(def(s, 'safe_key'), { not: { enum: ['__proto__', 'constructor', 'prototype', 'id'] } }),
  ],
  [
    'a schema made false',
    'schema_tightened',
    'user_id',
    (s) => Object.assign(s.properties, { user_id: false }),
  ],
  [
    'a new conditional',
    'keyword_changed',
    '(root)',
    (s) => {
      // Reflect.set: a literal `then` key would make the object look like a promise to linters.
      Reflect.set(s, 'if', { required: ['error'] });
      Reflect.set(s, 'then', { required: ['status'] });
    },
  ],
  [
    'a changed conditional',
    'keyword_changed',
    '(root)',
    (s) => Reflect.set(s, 'then', { required: ['error', 'duration_ms'] }),
  ],
  [
    'a ref to another definition',
    'bound_tightened',
    'span_id',
    (s) => Object.assign(prop(s, 'span_id'), { $ref: '#/$defs/milliseconds' }),
  ],
];

const additive: Array<[string, (s: Obj & { properties: Obj; $defs: Obj }) => void]> = [
  [
    'a new optional property',
    (s) => Object.assign(s.properties, { reasoning: { type: 'string', maxLength: 10 } }),
  ],
  [
    'a new optional nested property',
    (s) =>
      Object.assign(prop(s, 'usage').properties as Obj, {
        reasoning_tokens: { $ref: '#/$defs/token_count' },
      }),
  ],
  ['a new enum value', (s) => Object.assign(prop(s, 'status'), { enum: ['ok', 'error', 'cancelled'] })],
  ['a loosened maxLength', (s) => Object.assign(prop(s, 'model'), { maxLength: 512 })],
  ['a loosened maximum (through $ref)', (s) => Object.assign(def(s, 'token_count'), { maximum: 1e15 })],
  ['a lowered minLength', (s) => Object.assign(objProp(s, 'error', 'type'), { minLength: 0 })],
  ['a removed bound', (s) => delete prop(s, 'finish_reasons').maxItems],
  ['a widened type', (s) => Object.assign(prop(s, 'response_model'), { type: ['string', 'null'] })],
  ['integer widened to number', (s) => Object.assign(def(s, 'token_count'), { type: 'number' })],
  [
    'a required property made optional',
    (s) => Object.assign(prop(s, 'sdk'), { required: ['name', 'version'] }),
  ],
  ['a removed pattern', (s) => delete (def(s, 'flat_map').propertyNames as Obj).pattern],
  ['fewer reserved keys', (s) => Object.assign(def(s, 'safe_key'), { not: { enum: ['__proto__'] } })],
  ['documentation only', (s) => Object.assign(prop(s, 'model'), { description: 'changed', examples: ['x'] })],
  [
    'a definition inlined instead of referenced',
    (s) => Object.assign(s.properties, { span_id: { type: 'string', pattern: '^[0-9a-f]{16}$' } }),
  ],
  [
    'a removed conditional',
    (s) => {
      delete s.if;
      delete s.then;
    },
  ],
];

describe('compareSchemas', () => {
  it('finds nothing between identical schemas', () => {
    expect(compareSchemas(released, structuredClone(released))).toEqual({ breaking: [], additive: [] });
  });

  it.each(breaks)('catches %s (%s at %s)', (_name, kind, path, edit) => {
    const report = compareSchemas(released, edited(edit));
    expect(report.breaking.map((b) => `${b.kind} ${b.path}`)).toContain(`${kind} ${path}`);
    for (const b of report.breaking) expect(b.detail.length).toBeGreaterThan(0);
  });

  it.each(additive)('lets %s through', (_name, edit) => {
    const report = compareSchemas(released, edited(edit));
    expect(report.breaking).toEqual([]);
  });

  it('reports additive changes as notes', () => {
    const report = compareSchemas(
      released,
      edited((s) => Object.assign(prop(s, 'status'), { enum: ['ok', 'error', 'x'] })),
    );
    expect(report.additive).toEqual(['status: enum value "x" added']);
  });

  it('handles boolean schemas, remote refs, items and a type where there was none', () => {
    const typed = compareSchemas({ properties: { x: {} } }, { properties: { x: { type: 'string' } } });
    expect(typed.breaking.map((b) => `${b.kind} ${b.path}`)).toEqual(['type_narrowed x']);
    expect(compareSchemas(true, false).breaking.map((b) => b.kind)).toEqual(['schema_tightened']);
    expect(compareSchemas(false, { type: 'string' }).breaking).toEqual([]);
    expect(compareSchemas({ $ref: 'a.json' }, { $ref: 'b.json' }).breaking.map((b) => b.kind)).toEqual([
      'keyword_changed',
    ]);
    const items = compareSchemas(
      { type: 'array', items: { type: 'string' } },
      { type: 'array', items: { type: 'integer' } },
    );
    expect(items.breaking.map((b) => b.path)).toEqual(['[]']);
    const tuple = compareSchemas(
      { prefixItems: [{ type: 'string' }] },
      { prefixItems: [{ type: 'string', maxLength: 2 }] },
    );
    expect(tuple.breaking.map((b) => b.path)).toEqual(['[0]']);
  });

  it('survives self-referencing schemas', () => {
    const tree = {
      $defs: { node: { type: 'object', properties: { child: { $ref: '#/$defs/node' } } } },
      $ref: '#/$defs/node',
    };
    expect(compareSchemas(tree, structuredClone(tree)).breaking).toEqual([]);
  });
});
