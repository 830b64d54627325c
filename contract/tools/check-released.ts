// Compares every released schema (<dir>/released/*.json) with its working copy (<dir>/*.json).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareSchemas, type JsonSchema } from './compat.ts';

/** Outcome of a contract check: `ok` false on any break; `lines` are what the CLI prints. */
export type CheckResult = { ok: boolean; lines: string[]; errors: string[] };

const readJson = (file: string): JsonSchema => JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;

/** Checks a contract directory; every breaking change is named by file, kind and field path. */
export function checkReleasedSchemas(contractDir: string): CheckResult {
  const releasedDir = join(contractDir, 'released');
  const lines: string[] = [];
  const errors: string[] = [];
  const files = existsSync(releasedDir)
    ? readdirSync(releasedDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  if (files.length === 0) errors.push(`no released schema found in ${releasedDir}`);
  for (const file of files) {
    const working = join(contractDir, file);
    if (!existsSync(working)) {
      errors.push(`BREAKING ${file}: schema_removed: the released schema has no working copy`);
      continue;
    }
    const report = compareSchemas(readJson(join(releasedDir, file)), readJson(working));
    for (const change of report.breaking) {
      errors.push(`BREAKING ${file}: ${change.kind} at ${change.path}: ${change.detail}`);
    }
    if (report.breaking.length === 0) {
      const n = report.additive.length;
      lines.push(
        `ok ${file}: compatible with the released copy (${n === 0 ? 'identical contract' : `${n} additive change(s)`})`,
      );
      for (const note of report.additive) lines.push(`   + ${note}`);
    }
  }
  return { ok: errors.length === 0, lines, errors };
}
