// fast-check arbitraries for event v1: values around every bound, valid or just over, plus mutations.
import fc from 'fast-check';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ASTRAL = '😀';
const LONE_SURROGATE = '\ud800';

/** Strings over `alphabet` whose length ranges over 0 … max+2, favouring both ends. */
export function stringNear(alphabet: string, max: number): fc.Arbitrary<string> {
  const unit = fc.constantFrom(...alphabet.split(''));
  return fc.oneof(fc.string({ unit, minLength: 0, maxLength: 4 }), longNear(unit, alphabet[0] ?? 'a', max));
}

/**
 * Strings of max-3 … max+2 code points: a cheap run of `filler` then a short random tail, so that
 * generating thousands of them stays fast while the interesting characters still vary.
 */
function longNear(unit: fc.Arbitrary<string>, filler: string, max: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: Math.max(0, max - 3), max: max + 2 }), fc.array(unit, { maxLength: 3 }))
    .map(([n, tail]) => filler.repeat(Math.max(0, n - tail.length)) + tail.slice(0, n).join(''));
}

/** Free text near a code-point bound: ASCII, astral pairs and lone surrogates mixed. */
export function textNear(max: number): fc.Arbitrary<string> {
  const unit = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('a', 'é', ' ', '/') },
    { weight: 2, arbitrary: fc.constant(ASTRAL) },
    { weight: 1, arbitrary: fc.constant(LONE_SURROGATE) },
  );
  return fc.oneof(
    fc.string({ unit, minLength: 0, maxLength: 3 }),
    fc.string({ unit: 'grapheme', minLength: 0, maxLength: 8 }),
    longNear(unit, ASTRAL, max),
    longNear(unit, 'a', max),
  );
}

/** Numbers around [0, max]: bounds, just over, fractions, negatives, huge. */
export function numberNear(max: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constantFrom(0, -0, 1, max, max + 1, max + 0.5, max - 0.5, -1, -0.001, 1e308, -1e308, 0.5),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -10, max: 10_000 }),
    fc.double({ min: 0, max, noNaN: true }),
  );
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** RFC 3339-ish timestamps with every component ranging one step beyond its valid values. */
export const timestampArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .date({
      min: new Date('1960-01-01T00:00:00Z'),
      max: new Date('2200-01-01T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  fc
    .record({
      year: fc.oneof(fc.integer({ min: 1965, max: 2105 }), fc.constantFrom(1900, 2000, 2100, 2400, 9999, 0)),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 24 }),
      minute: fc.integer({ min: 0, max: 60 }),
      second: fc.integer({ min: 0, max: 61 }),
      fraction: fc.oneof(
        fc.constant(''),
        fc.string({ unit: fc.constantFrom(...DIGITS), minLength: 0, maxLength: 11 }).map((s) => `.${s}`),
      ),
      t: fc.constantFrom('T', 'T', 'T', 't', ' '),
      offset: fc.constantFrom(
        'Z',
        'Z',
        '+00:00',
        '-00:00',
        '+05:30',
        '-23:59',
        '+24:00',
        '+05:60',
        '+0530',
        '+05',
        'z',
        '',
      ),
    })
    .map(
      (p) =>
        `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}${p.t}${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}${p.fraction}${p.offset}`,
    ),
);

const mapKeyArb = fc.oneof(
  stringNear(`${LOWER}A_.:-`, 6),
  stringNear('k', 128),
  fc.constantFrom('a b', '', 'é', 'constructor', '__proto__', 'prototype', 'toString', 'valueOf'),
);

const mapValueArb = fc.oneof(
  textNear(1024),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constantFrom(null, [], {}),
);

const validMapArb = fc.dictionary(
  fc
    .string({ unit: fc.constantFrom(...`${LOWER}._-`), minLength: 1, maxLength: 20 })
    .filter((k) => k !== 'constructor' && k !== 'prototype' && k !== '__proto__'),
  fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean()),
  { maxKeys: 5, noNullPrototype: true },
);

/** attributes / analysis: a valid map with one doubtful entry, a map around the entry limit, or no map. */
const flatMapArb = fc.oneof(
  fc.tuple(validMapArb, mapKeyArb, mapValueArb).map(([map, key, value]) => {
    const out: Record<string, unknown> = { ...map };
    // Defining (not assigning) keeps a "__proto__" key an own property, as JSON.parse would.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    return out;
  }),
  fc
    .integer({ min: 62, max: 66 })
    .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
  fc.constantFrom(null, [], 'x'),
);

const tokensArb = fc.oneof(
  fc.nat(),
  fc.constantFrom(0, 1e12, 1e12 + 1, -1, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER + 2),
  fc.constantFrom('1', null),
);

const DURATION = 86_400_000;

/**
 * Per-field arbitraries, valid or just invalid, keyed by dotted path. Each is exercised alone on an
 * otherwise valid event (see singleFieldEventArb), so a wrong bound in one validator cannot hide behind
 * another invalid field.
 */
export const FIELD_ARBS: Record<string, fc.Arbitrary<unknown>> = {
  schema_version: fc.oneof(
    fc.integer({ min: 0, max: 12_000 }).map((n) => `1.${n}`),
    fc.constantFrom('1.0', '1.01', '2.0', '1', '1.', ' 1.0', '1.0\n', '1.9999', '1.10000', 1),
  ),
  event_id: stringNear(`${LOWER}${DIGITS}AZ._:- /`, 64),
  timestamp: timestampArb,
  operation: stringNear(`${LOWER}${DIGITS}_.-A`, 64),
  provider: stringNear(`${LOWER}${DIGITS}_.-A`, 64),
  model: textNear(256),
  status: fc.constantFrom('ok', 'error', 'OK', '', null),
  response_model: textNear(256),
  duration_ms: numberNear(DURATION),
  time_to_first_token_ms: numberNear(DURATION),
  usage: fc.constantFrom(null, [], {}, 'x'),
  'usage.input_tokens': tokensArb,
  'usage.output_tokens': tokensArb,
  'usage.cache_read_input_tokens': tokensArb,
  'usage.cache_creation_input_tokens': tokensArb,
  cost_usd: numberNear(1_000_000),
  error: fc.constantFrom(null, [], {}, 'boom'),
  'error.type': textNear(256),
  'error.message': textNear(4096),
  trace_id: stringNear('0123456789abcdefA', 32),
  span_id: stringNear('0123456789abcdefx', 16),
  parent_span_id: stringNear('0123456789abcdef-', 16),
  session_id: textNear(256),
  user_id: textNear(256),
  environment: textNear(64),
  finish_reasons: fc.oneof(
    fc.array(textNear(64), { maxLength: 3 }),
    fc.array(fc.constantFrom('stop', 'length'), { minLength: 15, maxLength: 17 }),
    fc.constantFrom('stop', null, {}),
  ),
  attributes: flatMapArb,
  analysis: flatMapArb,
  sdk: fc.constantFrom(null, [], {}, 'x'),
  'sdk.name': textNear(64),
  'sdk.version': textNear(64),
  'sdk.language': textNear(64),
  future_field: fc.jsonValue({ maxDepth: 2 }),
};

const NESTED_BASE: Record<string, Record<string, unknown>> = {
  usage: { input_tokens: 1, output_tokens: 2 },
  error: { type: 'timeout', message: 'took too long' },
  sdk: { name: 'llm_observer', version: '0.4.0', language: 'python' },
};

/** Sets a dotted path (one level deep at most) on a copy of `event`; `undefined` deletes it. */
function withField(event: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...event };
  const [head = '', leaf] = path.split('.');
  if (leaf === undefined) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const nested: Record<string, unknown> = { ...NESTED_BASE[head] };
  if (value === undefined) delete nested[leaf];
  else nested[leaf] = value;
  copy[head] = nested;
  if (head === 'error') copy.status = 'error';
  return copy;
}

/** Events where every field is valid most of the time and wrong some of the time, all at once. */
export const eventArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    schema_version: FIELD_ARBS.schema_version as fc.Arbitrary<unknown>,
    event_id: FIELD_ARBS.event_id as fc.Arbitrary<unknown>,
    timestamp: timestampArb,
    operation: FIELD_ARBS.operation as fc.Arbitrary<unknown>,
    provider: FIELD_ARBS.provider as fc.Arbitrary<unknown>,
    model: textNear(256),
    status: fc.constantFrom('ok', 'ok', 'error', 'OK', ''),
    duration_ms: numberNear(DURATION),
    usage: fc.record(
      { input_tokens: tokensArb, output_tokens: tokensArb, extra: fc.jsonValue() },
      { requiredKeys: [], noNullPrototype: true },
    ),
    error: fc.record(
      { type: textNear(256), message: textNear(64) },
      { requiredKeys: [], noNullPrototype: true },
    ),
    trace_id: FIELD_ARBS.trace_id as fc.Arbitrary<unknown>,
    finish_reasons: FIELD_ARBS.finish_reasons as fc.Arbitrary<unknown>,
    attributes: flatMapArb,
    sdk: fc.record(
      { name: textNear(64), version: textNear(64), language: textNear(64), runtime: fc.string() },
      { requiredKeys: [], noNullPrototype: true },
    ),
    future_field: fc.jsonValue(),
  },
  {
    requiredKeys: ['schema_version', 'event_id', 'timestamp', 'operation', 'provider', 'model', 'status'],
    noNullPrototype: true,
  },
);

/** A valid event: fields come from the valid corner of each arbitrary. */
export const validishEventArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    schema_version: fc.integer({ min: 0, max: 9999 }).map((n) => `1.${n}`),
    event_id: fc.string({ unit: fc.constantFrom(...`${LOWER}${DIGITS}._:-`), minLength: 1, maxLength: 64 }),
    timestamp: fc
      .date({
        min: new Date('1970-01-01T00:00:00Z'),
        max: new Date('9999-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    operation: fc.constantFrom('chat', 'embeddings', 'execute_tool', 'gen_ai.invoke_agent'),
    provider: fc.constantFrom('openai', 'anthropic', 'aws.bedrock', 'x-ai'),
    model: fc.string({ minLength: 1, maxLength: 64 }),
    status: fc.constant('ok'),
    duration_ms: fc.double({ min: 0, max: DURATION, noNaN: true }),
    usage: fc.record(
      { input_tokens: fc.nat(), output_tokens: fc.nat() },
      { requiredKeys: [], noNullPrototype: true },
    ),
    cost_usd: fc.double({ min: 0, max: 100, noNaN: true }),
    attributes: validMapArb,
  },
  {
    requiredKeys: ['schema_version', 'event_id', 'timestamp', 'operation', 'provider', 'model', 'status'],
    noNullPrototype: true,
  },
);

/** A valid event with exactly one field (possibly nested) replaced by a doubtful value, or removed. */
export const singleFieldEventArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(validishEventArb, fc.constantFrom(...Object.keys(FIELD_ARBS)))
  .chain(([event, path]) =>
    fc
      .option(FIELD_ARBS[path] as fc.Arbitrary<unknown>, { nil: undefined, freq: 8 })
      .map((value) => withField(event, path, value)),
  );

/** Replaces, deletes or adds one top-level field with an arbitrary JSON value. */
export const mutatedEventArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    validishEventArb,
    fc.constantFrom(...Object.keys(FIELD_ARBS), 'unknown'),
    fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  )
  .map(([event, path, value]) => withField(event, path, value));
