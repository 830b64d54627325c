// Compares every released schema (<dir>/released/*.json) with its working copy (<dir>/*.json).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BreakingChange, compareSchemas, type JsonSchema } from './compat.ts';

/** Outcome of a contract check: `ok` false on any break; `lines` are what the CLI prints. */
export type CheckResult = { ok: boolean; lines: string[]; errors: string[] };

const readJson = (file: string): JsonSchema => JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;

/** A deliberate, documented break of a released schema (`compat-errata.json`). */
type Erratum = { file: string; kind: string; paths: string[]; since: string; reason: string };

function readErrata(contractDir: string): Erratum[] {
  const file = join(contractDir, 'compat-errata.json');
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as { errata: Erratum[] }).errata;
}

const covers = (e: Erratum, file: string, change: BreakingChange): boolean =>
  e.file === file && e.kind === change.kind && e.paths.includes(change.path);

/**
 * Checks a contract directory; every breaking change is named by file, kind and field path. A break
 * listed in `compat-errata.json` is printed as an erratum with its reason instead of failing; an
 * erratum entry that matches no break fails (it would silently cover a future one).
 */
export function checkReleasedSchemas(contractDir: string): CheckResult {
  const releasedDir = join(contractDir, 'released');
  const lines: string[] = [];
  const errors: string[] = [];
  const errata = readErrata(contractDir);
  const used = new Set<string>();
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
    const breaking: BreakingChange[] = [];
    for (const change of report.breaking) {
      const erratum = errata.find((e) => covers(e, file, change));
      if (!erratum) {
        breaking.push(change);
        errors.push(`BREAKING ${file}: ${change.kind} at ${change.path}: ${change.detail}`);
        continue;
      }
      used.add(`${file} ${change.kind} ${change.path}`);
      lines.push(
        `erratum ${file}: ${change.kind} at ${change.path} (since ${erratum.since}): ${erratum.reason}`,
      );
    }
    if (breaking.length === 0) {
      const n = report.additive.length;
      const accepted = report.breaking.length;
      const summary = [
        n === 0 && accepted === 0 ? 'identical contract' : `${n} additive change(s)`,
        ...(accepted > 0 ? [`${accepted} accepted erratum/errata above`] : []),
      ].join(', ');
      lines.push(`ok ${file}: compatible with the released copy (${summary})`);
      for (const note of report.additive) lines.push(`   + ${note}`);
    }
  }
  for (const e of errata) {
    for (const path of e.paths) {
      if (!used.has(`${e.file} ${e.kind} ${path}`)) {
        errors.push(`STALE erratum ${e.file}: ${e.kind} at ${path} matches no change; remove it`);
      }
    }
  }
  return { ok: errors.length === 0, lines, errors };
}

/**
 * Shipped copies of released schemas (e.g. the Python SDK's package data) must be byte-equal to
 * `<contractDir>/released/<same name>`: an SDK never ships a schema the service has not released.
 */
export function checkShippedCopies(contractDir: string, copyDir: string): CheckResult {
  const lines: string[] = [];
  const errors: string[] = [];
  const files = existsSync(copyDir) ? readdirSync(copyDir).filter((f) => f.endsWith('.json')) : [];
  if (files.length === 0) errors.push(`no shipped schema copy found in ${copyDir}`);
  for (const file of files.sort()) {
    const released = join(contractDir, 'released', file);
    if (!existsSync(released)) {
      errors.push(`COPY ${join(copyDir, file)}: no released schema of that name`);
    } else if (!readFileSync(released).equals(readFileSync(join(copyDir, file)))) {
      errors.push(`COPY ${join(copyDir, file)}: differs from released/${file} (copy the released file)`);
    } else {
      lines.push(`ok ${join(copyDir, file)}: byte-equal to released/${file}`);
    }
  }
  return { ok: errors.length === 0, lines, errors };
}
