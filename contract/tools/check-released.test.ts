// checkReleasedSchemas on real files: the repository passes, a copy with a break fails naming the field.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkReleasedSchemas, checkShippedCopies } from './check-released.ts';

const contractDir = fileURLToPath(new URL('..', import.meta.url));
const made: string[] = [];

/** A throwaway copy of contract/'s schema files, with the working event schema edited. */
function copyWith(edit: (schema: { properties: Record<string, Record<string, unknown>> }) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'contract-check-'));
  made.push(dir);
  cpSync(join(contractDir, 'released'), join(dir, 'released'), { recursive: true });
  for (const f of [
    'telemetry_event_v1.json',
    'envelope_v1.json',
    'ingest_batch_v1.json',
    'compat-errata.json',
  ]) {
    cpSync(join(contractDir, f), join(dir, f));
  }
  const file = join(dir, 'telemetry_event_v1.json');
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  edit(schema);
  writeFileSync(file, JSON.stringify(schema));
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('checkReleasedSchemas', () => {
  it('passes on the repository as committed', () => {
    const result = checkReleasedSchemas(contractDir);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('fails naming the field when a bound is tightened', () => {
    const result = checkReleasedSchemas(
      copyWith((s) => Object.assign(s.properties.environment ?? {}, { maxLength: 10 })),
    );
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      'BREAKING telemetry_event_v1.json: bound_tightened at environment: maxLength 64 became 10',
    ]);
  });

  it('passes with a summary when a field is added', () => {
    const result = checkReleasedSchemas(
      copyWith((s) => Object.assign(s.properties, { region: { type: 'string' } })),
    );
    expect(result.ok).toBe(true);
    expect(result.lines).toContain('   + region: property added');
  });

  it('fails when a released schema disappears', () => {
    const dir = copyWith(() => {});
    rmSync(join(dir, 'envelope_v1.json'));
    expect(checkReleasedSchemas(dir).errors).toEqual([
      'BREAKING envelope_v1.json: schema_removed: the released schema has no working copy',
    ]);
  });

  it('prints each accepted erratum with its reason instead of failing', () => {
    const result = checkReleasedSchemas(contractDir);
    expect(result.lines).toContainEqual(
      expect.stringMatching(
        /^erratum telemetry_event_v1\.json: additional_properties_tightened at usage\.\* \(since 1\.0\): /,
      ),
    );
  });

  it('fails on an erratum that matches no change (it would cover a future break silently)', () => {
    const dir = copyWith(() => {});
    const file = join(dir, 'compat-errata.json');
    const errata = JSON.parse(readFileSync(file, 'utf8'));
    errata.errata[0].paths.push('model');
    writeFileSync(file, JSON.stringify(errata));
    const result = checkReleasedSchemas(dir);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      'STALE erratum telemetry_event_v1.json: additional_properties_tightened at model matches no change; remove it',
    ]);
  });

  it('still fails on a break of the same kind at a path the errata do not list', () => {
    const result = checkReleasedSchemas(
      copyWith((s) => {
        Object.assign(s.properties.attributes ?? {}, { additionalProperties: { type: 'string' } });
      }),
    );
    expect(result.ok).toBe(false);
  });
});

describe('checkShippedCopies', () => {
  const sdkSchemaDir = join(contractDir, '..', 'sdk', 'python', 'llm_observer', 'schema');

  it('passes on the repository as committed: the Python SDK ships the released event schema', () => {
    const result = checkShippedCopies(contractDir, sdkSchemaDir);
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual([
      expect.stringContaining('telemetry_event_v1.json: byte-equal to released/'),
    ]);
  });

  it('fails on a copy that differs by a byte, or has no released original', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipped-copy-'));
    made.push(dir);
    const released = readFileSync(join(contractDir, 'released', 'telemetry_event_v1.json'), 'utf8');
    writeFileSync(join(dir, 'telemetry_event_v1.json'), `${released} `);
    writeFileSync(join(dir, 'other.json'), '{}');
    const result = checkShippedCopies(contractDir, dir);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      expect.stringMatching(/other\.json: no released schema of that name$/),
      expect.stringMatching(/telemetry_event_v1\.json: differs from released\/telemetry_event_v1\.json/),
    ]);
  });
});
