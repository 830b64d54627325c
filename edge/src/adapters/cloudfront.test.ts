// The CloudFront adapter only translates: base64 body in, truncation → 413, generated response out.
import type { CloudFrontRequestEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../test/events.ts';
import { fakeDeps } from '../../test/fakes.ts';
import { handleCloudFront } from './cloudfront.ts';

function event(options: { method?: string; uri?: string; body?: string; truncated?: boolean; key?: string }) {
  const headers: Record<string, Array<{ key: string; value: string }>> = {
    host: [{ key: 'Host', value: 'ingest.example.com' }],
    'content-type': [{ key: 'Content-Type', value: 'application/json' }],
  };
  if (options.key) headers.authorization = [{ key: 'Authorization', value: `Bearer ${options.key}` }];
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: 'd111111abcdef8.cloudfront.net',
            distributionId: 'EDFDVBD6EXAMPLE',
            eventType: 'origin-request',
            requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
          },
          request: {
            clientIp: '203.0.113.178',
            method: options.method ?? 'POST',
            uri: options.uri ?? '/v1/events',
            querystring: '',
            headers,
            body: {
              action: 'read-only',
              encoding: 'base64',
              data: Buffer.from(options.body ?? '').toString('base64'),
              inputTruncated: options.truncated ?? false,
            },
          },
        },
      },
    ],
  } as unknown as CloudFrontRequestEvent;
}

describe('handleCloudFront', () => {
  it('decodes the base64 body and answers with a generated response carrying the request id', async () => {
    const deps = fakeDeps();
    const { key } = deps.store.add();
    const result = await handleCloudFront(
      event({ key, body: JSON.stringify({ events: [sampleEvent()] }) }),
      deps,
    );
    expect(result.status).toBe('202');
    expect(result.headers?.['x-request-id']?.[0]?.value).toBe(
      '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
    );
    expect(JSON.parse(result.body ?? '')).toMatchObject({ accepted: 1, rejected: [] });
    expect(deps.recording.lines()).toHaveLength(1);
  });

  it('answers 413 when CloudFront truncated the body', async () => {
    const deps = fakeDeps();
    const { key } = deps.store.add();
    const result = await handleCloudFront(event({ key, body: '{"events":[', truncated: true }), deps);
    expect(result.status).toBe('413');
    expect(JSON.parse(result.body ?? '').error.code).toBe('payload_too_large');
  });

  it('answers JSON 404 for other paths', async () => {
    const result = await handleCloudFront(event({ method: 'GET', uri: '/x' }), fakeDeps());
    expect(result.status).toBe('404');
    expect(result.headers?.['content-type']?.[0]?.value).toBe('application/json');
  });
});
