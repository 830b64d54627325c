// The explorer's filters as URL parameters: every dimension the API filters on, plus up to five attributes.

/** Filters named like the API's query parameters. */
export const FILTER_NAMES = [
  'model',
  'provider',
  'operation',
  'environment',
  'status',
  'error_type',
  'user_id',
  'session_id',
  'trace_id',
] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

/** At most this many `attr.<key>=<value>` filters (the API's bound). */
export const MAX_ATTR_FILTERS = 5;
const ATTR_KEY = /^attr\.[A-Za-z0-9_.:-]{1,128}$/;

/** The active filters of a URL: known names and `attr.<key>`, non-empty, first value of each. */
export function readFilters(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const filters: Record<string, string> = {};
  let attrs = 0;
  for (const [name, raw] of Object.entries(params)) {
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!value) continue;
    if ((FILTER_NAMES as readonly string[]).includes(name)) filters[name] = value;
    else if (ATTR_KEY.test(name) && attrs < MAX_ATTR_FILTERS) {
      filters[name] = value;
      attrs++;
    }
  }
  return filters;
}

/** Parses an "attribute = value" entry of the filter form; undefined when it is not one. */
export function parseAttrEntry(entry: string): [string, string] | undefined {
  const at = entry.indexOf('=');
  if (at <= 0) return undefined;
  const key = entry.slice(0, at).trim();
  const value = entry.slice(at + 1).trim();
  return ATTR_KEY.test(`attr.${key}`) && value ? [`attr.${key}`, value] : undefined;
}
