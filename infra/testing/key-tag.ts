// The key-tag secret of tests: keys minted with it pass the tag check of test edges and test APIs.
import type { KeyTagSecret } from '../../contract/index.ts';

/** Fixed, test-only tag secret (never deployed; local stacks and AWS generate their own). */
export const TEST_KEY_TAG: KeyTagSecret = {
  version: 'T',
  secret: 'dGVzdC1vbmx5LWtleS10YWctc2VjcmV0LW5vdC1mb3ItdXNl',
};

/** The edge's view of the same secret (version → secret). */
export const TEST_KEY_TAG_SECRETS: Readonly<Record<string, string>> = {
  [TEST_KEY_TAG.version]: TEST_KEY_TAG.secret,
};
