// The load generator against a real node:http server: every request answered and counted, framing of
// Content-Length and chunked answers, connections the server closes, bytes arriving in any split.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseReader, runOpenLoop } from './load.ts';

let server: http.Server;
let url: string;
const seen: { body: string; auth: string | undefined }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ body, auth: req.headers.authorization });
      const n = Number(JSON.parse(body).n);
      if (n % 3 === 0) {
        res.writeHead(202, { 'content-type': 'application/json' }); // chunked
        res.end('{"ok":true}');
      } else if (n % 3 === 1) {
        res.writeHead(400, { 'content-length': 2, connection: 'close' });
        res.end('no');
      } else {
        res.writeHead(503, { 'content-length': 0 });
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/events`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('runOpenLoop', () => {
  it('sends every scheduled request with its headers and body and counts each answer by status', async () => {
    const bodies = [0, 1, 2].map((n) => Buffer.from(JSON.stringify({ n })));
    const result = await runOpenLoop({
      url,
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      bodies,
      rate: 300,
      durationMs: 500,
      maxInFlight: 4,
    });
    // 150 are due within the 500 ms; on a busy machine the hard stop at 500 ms may cut the last few.
    const n = result.scheduled;
    expect(n).toBeGreaterThan(140);
    expect(n).toBeLessThanOrEqual(150);
    expect(result.completed).toBe(n);
    expect(result.errors).toBe(0);
    // Bodies rotate n % 3 → 202, 400, 503.
    const third = (k: number) => Math.floor((n - k + 2) / 3);
    expect(result.statuses).toEqual({ 202: third(0), 400: third(1), 503: third(2) });
    expect(seen).toHaveLength(n);
    expect(seen.every((s) => s.auth === 'Bearer t')).toBe(true);
    expect(result.latencies[0]).toBeGreaterThanOrEqual(0);
    expect([...result.latencies]).toEqual([...result.latencies].sort((a, b) => a - b));
  });
});

describe('ResponseReader', () => {
  it('frames Content-Length and chunked answers whatever the byte boundaries', () => {
    const wire = Buffer.from(
      'HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' +
        'b\r\n{"ok":true}\r\n0\r\n\r\n' +
        'HTTP/1.1 400 Bad Request\r\ncontent-length: 5\r\nConnection: close\r\n\r\nhello' +
        'HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n',
    );
    for (const step of [1, 2, 7, wire.length]) {
      const reader = new ResponseReader();
      const statuses: string[] = [];
      for (let i = 0; i < wire.length; i += step) {
        statuses.push(
          ...reader.push(wire.subarray(i, i + step)).map((r) => `${r.status}${r.close ? ' close' : ''}`),
        );
      }
      expect(statuses).toEqual(['202', '400 close', '503']);
    }
  });

  it('refuses bytes that are not an HTTP response', () => {
    expect(() => new ResponseReader().push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(
      /not an HTTP response/,
    );
  });
});
