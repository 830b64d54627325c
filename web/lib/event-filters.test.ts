// Explorer filters read from the URL: known dimensions and bounded attribute filters only.
import { describe, expect, it } from 'vitest';
import { MAX_ATTR_FILTERS, parseAttrEntry, readFilters } from './event-filters.ts';

describe('readFilters', () => {
  it('keeps every known dimension and attribute filters, dropping empty and unknown ones', () => {
    expect(
      readFilters({
        model: 'GPT-4o',
        environment: ['prod', 'dev'],
        user_id: 'u-1',
        trace_id: '',
        'attr.retry': 'true',
        project: 'x',
        cursor: 'y',
        evil: 'z',
      }),
    ).toEqual({ model: 'GPT-4o', environment: 'prod', user_id: 'u-1', 'attr.retry': 'true' });
  });

  it('bounds attribute filters', () => {
    const params = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`attr.k${i}`, 'v']));
    expect(Object.keys(readFilters(params))).toHaveLength(MAX_ATTR_FILTERS);
  });
});

describe('parseAttrEntry', () => {
  it('reads key = value', () => {
    expect(parseAttrEntry('retry = true')).toEqual(['attr.retry', 'true']);
    expect(parseAttrEntry('a=b=c')).toEqual(['attr.a', 'b=c']);
  });

  it.each(['', 'novalue', '=x', 'k=', 'bad key=1'])('refuses %j', (entry) => {
    expect(parseAttrEntry(entry)).toBeUndefined();
  });
});
