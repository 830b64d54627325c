// SQS handler: per-message failures are reported (partial batch response), the rest succeed.
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { objectCreatedEvent } from '../../contract/index.ts';
import { LoadFailedError } from './errors.ts';
import type { LoadResult } from './load-object.ts';
import type { ObjectRef } from './object-source.ts';
import { createSqsHandler, sqsEventOf } from './sqs-handler.ts';

const ok: LoadResult = {
  lines: 1,
  good: 1,
  rejected: 0,
  inserted: 1,
  duplicates: 0,
  quarantined: 0,
  rollupRows: 1,
  attempts: 1,
  ms: 1,
};
const quiet = { info: () => {}, error: () => {} };

function batch(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map(
      (body, i) =>
        ({ ...sqsEventOf(body, `m${i}`).Records[0], messageId: `m${i}` }) as SQSEvent['Records'][number],
    ),
  };
}

describe('createSqsHandler', () => {
  it('reports only the messages whose objects failed', async () => {
    const loaded: ObjectRef[] = [];
    const handler = createSqsHandler({
      logger: quiet,
      load: async (ref) => {
        if (ref.key === 'bad.gz') throw new LoadFailedError('boom');
        loaded.push(ref);
        return ok;
      },
    });
    const res = await handler(
      batch(
        JSON.stringify(objectCreatedEvent({ bucket: 'b', key: 'good.gz' })),
        JSON.stringify(objectCreatedEvent({ bucket: 'b', key: 'bad.gz' })),
        JSON.stringify({ Event: 's3:TestEvent' }),
        'not json',
      ),
    );
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m1', 'm3']);
    expect(loaded).toEqual([{ bucket: 'b', key: 'good.gz' }]);
  });

  it('reports every message when all fail, without throwing', async () => {
    const handler = createSqsHandler({
      logger: quiet,
      load: async () => {
        throw new LoadFailedError('down');
      },
    });
    const res = await handler(batch(JSON.stringify(objectCreatedEvent({ bucket: 'b', key: 'x.gz' }))));
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
  });
});
