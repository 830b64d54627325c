// Nesting-depth bound of the free-form (unknown) fields of an event: what PostgreSQL can always store.

/** A step of a path inside a JSON value: an object key or an array index. */
export type PathStep = string | number;

/**
 * Path (relative to `value`) of the first array or object nested more than `levels` deep, or null when
 * `value` stays within the bound. `levels` counts containers: with 2, `{"a":[1]}` passes and
 * `{"a":[[1]]}` fails at `a.0`. Recursion stops at the bound, so a 60,000-deep input costs nothing
 * more than a shallow one and never exhausts the stack.
 */
export function firstTooDeep(value: unknown, levels: number): PathStep[] | null {
  if (typeof value !== 'object' || value === null) return null;
  if (levels === 0) return [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner = firstTooDeep(value[i], levels - 1);
      if (inner) return [i, ...inner];
    }
    return null;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const inner = firstTooDeep((value as Record<string, unknown>)[key], levels - 1);
    if (inner) return [key, ...inner];
  }
  return null;
}

/**
 * Path of the first unknown member of `object` (a key not in `known`) whose value nests more than
 * `levels` deep, from `object`; null when every unknown member is within the bound.
 */
export function firstTooDeepUnknown(
  object: Record<string, unknown>,
  known: ReadonlySet<string>,
  levels: number,
): PathStep[] | null {
  for (const key in object) {
    if (!Object.hasOwn(object, key) || known.has(key)) continue;
    const value = object[key];
    if (typeof value !== 'object' || value === null) continue;
    const inner = firstTooDeep(value, levels);
    if (inner) return [key, ...inner];
  }
  return null;
}
