// Backward-compatibility check of two JSON Schemas (draft 2020-12): lists the changes that break 1.x senders.

/** A JSON Schema node as read from a file: an object or a boolean schema. */
export type JsonSchema = boolean | { [keyword: string]: unknown };

/** Every kind of breaking change the checker names. */
export type BreakingKind =
  | 'schema_removed'
  | 'property_removed'
  | 'type_narrowed'
  | 'required_added'
  | 'enum_value_removed'
  | 'const_changed'
  | 'bound_tightened'
  | 'pattern_changed'
  | 'format_changed'
  | 'additional_properties_tightened'
  | 'schema_tightened'
  | 'keyword_changed';

/** One breaking change: where (a data path such as `usage.input_tokens`, `finish_reasons[]`, `attributes.*`). */
export type BreakingChange = { path: string; kind: BreakingKind; detail: string };

/** Result of a comparison: breaking changes (must be empty for a 1.x release) and additive notes. */
export type CompatReport = { breaking: BreakingChange[]; additive: string[] };

type Node = { [keyword: string]: unknown };

/** Keywords that only annotate: changing them never changes which documents are valid. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  '$anchor',
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$defs',
  'definitions',
]);

/** Lower bounds: a higher (or newly added) value tightens. */
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains'];
/** Upper bounds: a lower (or newly added) value tightens. */
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains'];

/** Keywords compared by dedicated rules below; everything else falls back to "changed = breaking". */
const HANDLED = new Set([
  ...ANNOTATIONS,
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  '$ref',
  'type',
  'properties',
  'required',
  'enum',
  'const',
  'pattern',
  'format',
  'items',
  'prefixItems',
  'additionalProperties',
  'propertyNames',
  'not',
  'allOf',
  'anyOf',
  'uniqueItems',
]);

const MAX_DEPTH = 64;

const canonical = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Node).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

const isObject = (x: unknown): x is Node => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Resolves a local JSON pointer (`#/$defs/x`) inside `root`; undefined when it does not resolve. */
function resolvePointer(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isObject(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return typeof node === 'boolean' || isObject(node) ? node : undefined;
}

/**
 * Inlines local `$ref`s (target keywords merged under the node's own), so that moving a definition
 * into `$defs` or back is not reported. Remote refs stay as they are and are compared as strings.
 */
function flatten(root: JsonSchema, schema: JsonSchema, depth = 0): JsonSchema {
  if (typeof schema === 'boolean' || typeof schema.$ref !== 'string' || depth > MAX_DEPTH) return schema;
  const target = resolvePointer(root, schema.$ref);
  if (target === undefined) return schema;
  const { $ref: _ref, ...own } = schema;
  const resolved = flatten(root, target, depth + 1);
  if (resolved === false) return false;
  return resolved === true ? own : { ...resolved, ...own };
}

function typeSet(node: Node): Set<string> | undefined {
  const t = node.type;
  if (typeof t === 'string') return new Set([t]);
  if (Array.isArray(t)) return new Set(t.map(String));
  return undefined;
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
const label = (path: string) => (path === '' ? '(root)' : path);

class Comparison {
  readonly breaking: BreakingChange[] = [];
  readonly additive: string[] = [];

  constructor(
    private readonly oldRoot: JsonSchema,
    private readonly newRoot: JsonSchema,
  ) {}

  private broke(path: string, kind: BreakingKind, detail: string): void {
    this.breaking.push({ path: label(path), kind, detail });
  }

  private added(path: string, detail: string): void {
    this.additive.push(`${label(path)}: ${detail}`);
  }

  /** Compares the schema at one data path; reports what the new one rejects that the old one accepted. */
  compare(oldIn: JsonSchema, newIn: JsonSchema, path: string, depth = 0): void {
    if (depth > MAX_DEPTH) return;
    const oldS = flatten(this.oldRoot, oldIn);
    const newS = flatten(this.newRoot, newIn);
    if (oldS === false) return; // nothing was valid before: nothing can break
    if (newS === false) {
      this.broke(path, 'schema_tightened', 'schema became false (nothing is accepted)');
      return;
    }
    const o: Node = oldS === true ? {} : oldS;
    const n: Node = newS === true ? {} : newS;

    if (o.$ref !== n.$ref && (o.$ref !== undefined || n.$ref !== undefined)) {
      this.broke(path, 'keyword_changed', `$ref changed from ${String(o.$ref)} to ${String(n.$ref)}`);
    }
    this.compareTypes(o, n, path);
    this.compareValues(o, n, path);
    this.compareBounds(o, n, path);
    this.compareStrings(o, n, path);
    this.compareObjects(o, n, path, depth);
    this.compareArrays(o, n, path, depth);
    this.compareCombinators(o, n, path, depth);
    for (const keyword of new Set([...Object.keys(o), ...Object.keys(n)])) {
      if (HANDLED.has(keyword) || !Object.hasOwn(n, keyword)) continue; // removing an assertion loosens
      if (canonical(o[keyword]) !== canonical(n[keyword])) {
        this.broke(path, 'keyword_changed', `"${keyword}" added or changed`);
      }
    }
  }

  private compareTypes(o: Node, n: Node, path: string): void {
    const before = typeSet(o);
    const after = typeSet(n);
    if (after === undefined) {
      if (before !== undefined) this.added(path, 'type constraint removed');
      return;
    }
    if (before === undefined) {
      this.broke(path, 'type_narrowed', `type restricted to ${[...after].join('|')}`);
      return;
    }
    const lost = [...before].filter((t) => !after.has(t) && !(t === 'integer' && after.has('number')));
    if (lost.length > 0) {
      this.broke(path, 'type_narrowed', `type ${[...before].join('|')} became ${[...after].join('|')}`);
    } else if (canonical([...before].sort()) !== canonical([...after].sort())) {
      this.added(path, `type widened to ${[...after].join('|')}`);
    }
  }

  private compareValues(o: Node, n: Node, path: string): void {
    if (Array.isArray(n.enum)) {
      const after = new Set(n.enum.map(canonical));
      if (!Array.isArray(o.enum)) {
        this.broke(path, 'enum_value_removed', 'enum added: values outside it are now rejected');
      } else {
        for (const value of o.enum) {
          if (!after.has(canonical(value)))
            this.broke(path, 'enum_value_removed', `enum value ${canonical(value)} removed`);
        }
        const before = new Set(o.enum.map(canonical));
        for (const value of after) if (!before.has(value)) this.added(path, `enum value ${value} added`);
      }
    } else if (Array.isArray(o.enum)) {
      this.added(path, 'enum removed');
    }
    if (
      Object.hasOwn(n, 'const') &&
      (!Object.hasOwn(o, 'const') || canonical(o.const) !== canonical(n.const))
    ) {
      this.broke(path, 'const_changed', `const ${canonical(o.const)} became ${canonical(n.const)}`);
    }
  }

  private compareBounds(o: Node, n: Node, path: string): void {
    for (const [keywords, tighter] of [
      [LOWER_BOUNDS, (a: number, b: number) => b > a],
      [UPPER_BOUNDS, (a: number, b: number) => b < a],
    ] as const) {
      for (const keyword of keywords) {
        const before = o[keyword];
        const after = n[keyword];
        if (typeof after !== 'number') {
          if (typeof before === 'number') this.added(path, `${keyword} ${before} removed`);
          continue;
        }
        if (typeof before !== 'number') {
          this.broke(path, 'bound_tightened', `${keyword} ${after} added`);
        } else if (tighter(before, after)) {
          this.broke(path, 'bound_tightened', `${keyword} ${before} became ${after}`);
        } else if (before !== after) {
          this.added(path, `${keyword} ${before} loosened to ${after}`);
        }
      }
    }
    if (n.uniqueItems === true && o.uniqueItems !== true)
      this.broke(path, 'bound_tightened', 'uniqueItems added');
  }

  private compareStrings(o: Node, n: Node, path: string): void {
    if (typeof n.pattern === 'string' && n.pattern !== o.pattern) {
      const what = typeof o.pattern === 'string' ? `changed from ${o.pattern}` : 'added';
      this.broke(path, 'pattern_changed', `pattern ${what} to ${n.pattern}`);
    } else if (typeof o.pattern === 'string' && n.pattern === undefined) {
      this.added(path, 'pattern removed');
    }
    if (typeof n.format === 'string' && n.format !== o.format) {
      this.broke(path, 'format_changed', `format ${String(o.format ?? 'none')} became ${n.format}`);
    }
  }

  private compareObjects(o: Node, n: Node, path: string, depth: number): void {
    const oldProps = isObject(o.properties) ? o.properties : {};
    const newProps = isObject(n.properties) ? n.properties : {};
    const oldAdditional = (o.additionalProperties ?? true) as JsonSchema;
    const newAdditional = (n.additionalProperties ?? true) as JsonSchema;
    for (const [key, schema] of Object.entries(oldProps)) {
      if (!Object.hasOwn(newProps, key)) {
        this.broke(join(path, key), 'property_removed', 'property removed');
      } else {
        this.compare(schema as JsonSchema, newProps[key] as JsonSchema, join(path, key), depth + 1);
      }
    }
    for (const [key, schema] of Object.entries(newProps)) {
      if (Object.hasOwn(oldProps, key)) continue;
      // With open objects (the 1.x rule) a new optional property is additive. When unknown keys were
      // constrained by an additionalProperties schema, the new property must accept what that accepted.
      if (oldAdditional !== true)
        this.compare(oldAdditional, schema as JsonSchema, join(path, key), depth + 1);
      this.added(join(path, key), 'property added');
    }
    const oldRequired = new Set(Array.isArray(o.required) ? o.required.map(String) : []);
    const newRequired = Array.isArray(n.required) ? n.required.map(String) : [];
    for (const key of newRequired) {
      if (!oldRequired.has(key)) this.broke(join(path, key), 'required_added', 'property became required');
    }
    for (const key of oldRequired) {
      if (!newRequired.includes(key)) this.added(join(path, key), 'property no longer required');
    }
    if (newAdditional === false && oldAdditional !== false) {
      this.broke(join(path, '*'), 'additional_properties_tightened', 'additionalProperties became false');
    } else if (isObject(newAdditional) && oldAdditional === true && Object.keys(newAdditional).length > 0) {
      this.broke(join(path, '*'), 'additional_properties_tightened', 'additionalProperties now constrained');
    } else if (oldAdditional !== true || newAdditional !== true) {
      this.compare(oldAdditional, newAdditional, join(path, '*'), depth + 1);
    }
    if (o.propertyNames !== undefined || n.propertyNames !== undefined) {
      this.compare(
        (o.propertyNames ?? true) as JsonSchema,
        (n.propertyNames ?? true) as JsonSchema,
        `${label(path)}{keys}`,
        depth + 1,
      );
    }
  }

  private compareArrays(o: Node, n: Node, path: string, depth: number): void {
    if (o.items !== undefined || n.items !== undefined) {
      this.compare((o.items ?? true) as JsonSchema, (n.items ?? true) as JsonSchema, `${path}[]`, depth + 1);
    }
    const oldPrefix = Array.isArray(o.prefixItems) ? o.prefixItems : [];
    const newPrefix = Array.isArray(n.prefixItems) ? n.prefixItems : [];
    for (let i = 0; i < Math.max(oldPrefix.length, newPrefix.length); i++) {
      this.compare(
        (oldPrefix[i] ?? true) as JsonSchema,
        (newPrefix[i] ?? true) as JsonSchema,
        `${path}[${i}]`,
        depth + 1,
      );
    }
  }

  private compareCombinators(o: Node, n: Node, path: string, depth: number): void {
    // `not`: the new negated schema must reject no more than before, i.e. accept no more: compare reversed.
    if (n.not !== undefined) {
      if (o.not === undefined) {
        this.broke(path, 'schema_tightened', '"not" added');
      } else {
        const inner = new Comparison(this.newRoot, this.oldRoot);
        inner.compare(n.not as JsonSchema, o.not as JsonSchema, path, depth + 1);
        if (inner.breaking.length > 0) this.broke(path, 'schema_tightened', '"not" now excludes more values');
      }
    }
    // allOf: every branch is a constraint, compared pairwise; an extra branch is a new constraint.
    const oldAll = Array.isArray(o.allOf) ? o.allOf : [];
    const newAll = Array.isArray(n.allOf) ? n.allOf : [];
    for (let i = 0; i < newAll.length; i++) {
      this.compare((oldAll[i] ?? true) as JsonSchema, newAll[i] as JsonSchema, path, depth + 1);
    }
    // anyOf: adding branches loosens; every old branch must survive unchanged.
    if (Array.isArray(n.anyOf)) {
      const after = new Set(n.anyOf.map(canonical));
      if (!Array.isArray(o.anyOf)) this.broke(path, 'schema_tightened', '"anyOf" added');
      else if (o.anyOf.some((b) => !after.has(canonical(b)))) {
        this.broke(path, 'schema_tightened', 'an "anyOf" branch was removed or changed');
      }
    }
  }
}

/**
 * Lists what `working` rejects that `released` accepted, by data path and kind. Conservative: a change
 * it cannot prove harmless (a new `if`/`then`, a changed `oneOf`, an unknown keyword) counts as breaking.
 */
export function compareSchemas(released: JsonSchema, working: JsonSchema): CompatReport {
  const comparison = new Comparison(released, working);
  comparison.compare(released, working, '');
  return { breaking: comparison.breaking, additive: comparison.additive };
}
