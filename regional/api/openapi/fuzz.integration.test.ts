// Route-by-route fuzzing of the regional API from regional/openapi.json: no query parameter, path id or
// cursor field, however hostile, may give a 5xx; every 4xx names its reason.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../query.ts';
import { type Answer, type Harness, startHarness } from '../testing/harness.ts';
import { seedProject } from '../testing/seed-telemetry.ts';

type Schema = {
  type?: string;
  format?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
};
type Parameter = { name: string; in: 'query' | 'path'; schema: Schema };
type Operation = { parameters?: Array<Parameter | { $ref: string }> };
type Doc = { paths: Record<string, Record<string, Operation> & { parameters?: Parameter[] }> };

const doc = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as Doc;

/** GET operations with their parameters (path-level ones included), straight from the document. */
function getRoutes(): Array<{ path: string; params: Parameter[] }> {
  const out: Array<{ path: string; params: Parameter[] }> = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const op = item.get;
    if (!op) continue;
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].filter(
      (p): p is Parameter => !('$ref' in p),
    );
    out.push({ path, params });
  }
  return out;
}

// Strings PostgreSQL or JavaScript are known to trip over, plus arbitrary Unicode (lone surrogates too).
const hostileString = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '1',
    '-1',
    '0',
    '1e20',
    '1e300',
    '9223372036854775808',
    '99999999999999999999',
    'NaN',
    'Infinity',
    'null',
    'true',
    '[]',
    '{}',
    ' ',
    '%',
    '%00',
    '\uFFFD',
    '\uD800',
    "'; DROP TABLE projects; --",
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999999999Z',
    '1970-01-01T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2024-02-29T24:00:00Z',
    '__proto__',
    'constructor',
    'x'.repeat(5_000),
  ),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

/** Any JSON value, weighted toward hostile scalars (for cursor fields). */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.double(),
  fc.constantFrom(1e20, 1e300, 2 ** 63, -1, 0, 0.5, Number.MAX_SAFE_INTEGER, null, true, [], {}),
  fc.integer(),
  fc.jsonValue({ maxDepth: 2 }),
);

let h: Harness;
let projectId: string;
let token: string;

/** A value for one parameter that its schema in the document allows (absent included). */
function validFor(p: Parameter): fc.Arbitrary<string | undefined> {
  const s = p.schema;
  const absent = p.in === 'path' ? [] : [fc.constant(undefined)];
  if (s.enum) return fc.oneof(...absent, fc.constantFrom(...s.enum));
  if (s.format === 'uuid') return fc.oneof(...absent, fc.constant(projectId));
  if (s.format === 'date-time') {
    const now = Date.now();
    return fc.oneof(
      ...absent,
      fc.integer({ min: now - 30 * 86_400_000, max: now }).map((ms) => new Date(ms).toISOString()),
    );
  }
  if (s.type === 'integer') {
    return fc.oneof(...absent, fc.integer({ min: s.minimum ?? 1, max: s.maximum ?? 100 }).map(String));
  }
  return fc.oneof(...absent, fc.constantFrom('gpt-4o', 'openai', 'chat', 'production', 'x'));
}

/** A value near the schema (edges just outside it) or plain hostile. */
function hostileFor(p: Parameter): fc.Arbitrary<string | undefined> {
  const s = p.schema;
  const near: Array<fc.Arbitrary<string>> = [];
  if (s.type === 'integer') {
    near.push(fc.integer({ min: (s.minimum ?? 0) - 2, max: (s.maximum ?? 1000) + 2 }).map(String));
  }
  if (s.format === 'uuid') near.push(fc.uuid());
  return fc.oneof(...near, hostileString);
}

/**
 * Values for all of a route's parameters: either every one valid but one hostile (so the hostile one
 * gets past the others' checks and reaches whatever would use it), or all of them arbitrary.
 */
function queryValues(params: Parameter[]): fc.Arbitrary<Array<string | undefined>> {
  const oneHostile = fc
    .tuple(fc.nat(params.length - 1), fc.tuple(...params.map(validFor)), fc.tuple(...params.map(hostileFor)))
    .map(([i, valid, hostile]) => valid.map((v, j) => (j === i ? hostile[j] : v)));
  const allArbitrary = fc.tuple(...params.map((p) => fc.oneof(validFor(p), hostileFor(p))));
  return fc.oneof({ weight: 3, arbitrary: oneHostile }, { weight: 1, arbitrary: allArbitrary });
}

const wellFormed = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

function url(path: string, params: Parameter[], values: Array<string | undefined>): string {
  let p = path;
  const q = new URLSearchParams();
  params.forEach((param, i) => {
    const v = values[i];
    // Lone surrogates cannot be percent-encoded; a client's UTF-8 encoder turns them into U+FFFD too.
    if (param.in === 'path') p = p.replace(`{${param.name}}`, encodeURIComponent(wellFormed(v ?? projectId)));
    else if (v !== undefined) q.set(param.name, v);
  });
  const qs = q.toString();
  return qs ? `${p}?${qs}` : p;
}

function expectNamedAnswer(res: Answer, where: string): void {
  if (res.status >= 500) throw new Error(`${where} → ${res.status} ${JSON.stringify(res.body)}`);
  if (res.status >= 400) {
    expect(res.body.error?.code, where).toMatch(/^[a-z_]+$/);
    expect(res.body.error?.message, where).toBeTypeOf('string');
  }
}

beforeAll(async () => {
  h = await startHarness();
  let orgId: string;
  ({ orgId, projectId } = await h.org());
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const start = new Date(end.getTime() - 3_600_000);
  await seedProject(
    h.system,
    { orgId, projectId, keyId: randomUUID(), from: start, spanMs: 3_600_000, count: 60 },
    end,
  );
  token = await h.token(orgId, 'admin');
  // Audit rows, so the audit log has a second page and a real cursor.
  for (const name of ['fuzz-a', 'fuzz-b', 'fuzz-c']) {
    expect((await h.call('POST', '/v1/projects', { token, body: { name } })).status).toBe(201);
  }
});
afterAll(() => h.close());

describe('regional API fuzzing (from regional/openapi.json)', () => {
  const routes = getRoutes();

  it('finds the routes and parameters to fuzz', () => {
    expect(routes.map((r) => r.path)).toContain('/v1/analytics/events');
    expect(routes.find((r) => r.path === '/v1/analytics/events')?.params.length).toBeGreaterThan(5);
  });

  for (const route of routes) {
    if (route.params.length === 0) continue;
    it(`GET ${route.path}: no query or path value gives a 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(queryValues(route.params), async (values) => {
          const target = url(route.path, route.params, values);
          expectNamedAnswer(await h.call('GET', target, { token }), target);
        }),
        { numRuns: 80 },
      );
    });
  }

  for (const route of routes.filter((r) => r.params.some((p) => p.name === 'cursor'))) {
    it(`GET ${route.path}: no decoded cursor field gives a 5xx`, async () => {
      // A real cursor tells which fields the route's cursors have; each is then replaced by hostile JSON.
      const first = await h.call('GET', `${route.path}?limit=1`, { token });
      expect(first.status).toBe(200);
      const real = first.body.next_cursor;
      expect(real, `seed data must give ${route.path} a second page`).toBeTypeOf('string');
      const fields = JSON.parse(Buffer.from(String(real), 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      expect((await h.call('GET', `${route.path}?limit=1&cursor=${real}`, { token })).status).toBe(200);
      const names = Object.keys(fields);
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom(...names), hostileJson, { minKeys: 1 }),
          fc.option(fc.constantFrom('extra', '__proto__'), { nil: undefined }),
          async (replaced, extra) => {
            const cursor = { ...fields, ...replaced, ...(extra ? { [extra]: 1 } : {}) };
            const target = `${route.path}?cursor=${encodeCursor(cursor)}`;
            expectNamedAnswer(await h.call('GET', target, { token }), `${target} ${JSON.stringify(cursor)}`);
          },
        ),
        { numRuns: 80 },
      );
    });
  }

  it('answers the reported crashes with named 400s', async () => {
    for (const name of ['model', 'provider', 'operation', 'environment']) {
      const res = await h.call('GET', `/v1/analytics/events?${name}=%00`, { token });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_filter', parameter: name });
    }
    const events = await h.call('GET', '/v1/analytics/events?limit=1', { token });
    const real = JSON.parse(Buffer.from(String(events.body.next_cursor), 'base64url').toString('utf8'));
    for (const t of ['1', '+275760-09-13T00:00:00.000Z']) {
      const res = await h.call('GET', `/v1/analytics/events?cursor=${encodeCursor({ ...real, t })}`, {
        token,
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_cursor', parameter: 'cursor' });
    }
    for (const id of [1e20, 1e300, 2 ** 63]) {
      const res = await h.call('GET', `/v1/audit-logs?cursor=${encodeCursor({ id })}`, { token });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_cursor', parameter: 'cursor' });
    }
  });
});
