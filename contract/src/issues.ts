// ContractIssue: the one shape every contract validator reports problems in.

/** One validation problem: a dotted path (`usage.input_tokens`, `finish_reasons.2`, `""` = root) and a message. */
export type ContractIssue = { path: string; message: string };

/** Result of every contract validator: the typed value, or the list of problems. Never thrown. */
export type ValidationResult<T> = { ok: true; event: T } | { ok: false; issues: ContractIssue[] };

/** Minimal view of a valibot issue, enough to turn it into a ContractIssue. */
type IssueLike = { message: string; path?: ReadonlyArray<{ key: unknown }> | undefined };

/** Converts valibot issues to ContractIssues; keys are joined with dots, array indexes as numbers. */
export function toContractIssues(issues: ReadonlyArray<IssueLike>, prefix = ''): ContractIssue[] {
  const out: ContractIssue[] = [];
  for (const issue of issues) {
    let path = prefix;
    for (const item of issue.path ?? []) {
      const key = String(item.key);
      path = path === '' ? key : `${path}.${key}`;
    }
    out.push({ path, message: issue.message });
  }
  return out;
}
