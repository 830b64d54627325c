// Routing and the reply contract: JSON everywhere, x-request-id on every answer, 404/405, health.
import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../test/events.ts';
import { fakeDeps } from '../test/fakes.ts';
import type { EdgeRequest } from './http/reply-types.ts';
import { handle } from './router.ts';

const request = (method: string, path: string, init: Partial<EdgeRequest> = {}): EdgeRequest => ({
  method,
  url: `http://edge.test${path}`,
  headers: { get: () => undefined },
  body: undefined,
  bodyTruncated: false,
  ...init,
});

describe('handle', () => {
  it('answers health, 404 and 405 as JSON with a request id', async () => {
    const deps = fakeDeps();
    const cases: Array<[string, string, number, string | undefined]> = [
      ['GET', '/v1/health', 200, undefined],
      ['GET', '/nope', 404, 'not_found'],
      ['GET', '/v1/events', 405, 'method_not_allowed'],
      ['DELETE', '/v1/health', 405, 'method_not_allowed'],
    ];
    for (const [method, path, status, code] of cases) {
      const reply = await handle(request(method, path), deps);
      expect(reply.status).toBe(status);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      if (code) expect(JSON.parse(reply.body).error.code).toBe(code);
    }
    expect((await handle(request('GET', '/v1/events'), deps)).headers.allow).toBe('POST');
  });

  it('ingests a batch: 202, envelope lines to the sink, org/project from the key not the body', async () => {
    const deps = fakeDeps();
    const { key, record } = deps.store.add();
    const event = sampleEvent({ org_id: 'spoofed', project_id: 'spoofed' });
    const headers: Record<string, string> = {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
    };
    const reply = await handle(
      request('POST', '/v1/events', {
        headers: { get: (n) => headers[n] },
        body: Buffer.from(JSON.stringify({ events: [event] })),
        requestId: 'cf-request-1',
      }),
      deps,
    );
    expect(reply.status).toBe(202);
    expect(reply.headers['x-request-id']).toBe('cf-request-1');
    const [line] = deps.recording.lines();
    expect(line).toMatchObject({
      org_id: record.orgId,
      project_id: record.projectId,
      request_id: 'cf-request-1',
    });
    expect(line?.event).toEqual(event);
  });

  it('maps a sink failure to 503 with Retry-After', async () => {
    const deps = fakeDeps();
    const { key } = deps.store.add();
    deps.recording.fail = true;
    const headers: Record<string, string> = {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
    };
    const reply = await handle(
      request('POST', '/v1/events', {
        headers: { get: (n) => headers[n] },
        body: Buffer.from(JSON.stringify({ events: [sampleEvent()] })),
      }),
      deps,
    );
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('1');
    expect(JSON.parse(reply.body).error.code).toBe('unavailable');
  });
});
