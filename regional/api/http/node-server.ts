// Serves a fetch-style handler over node:http (the local stack's stand-in for API Gateway).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running server. */
export type NodeServer = { url: string; stop(): Promise<void> };

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Listens on `host:port` (0 = any free port). `corsOrigins` lets the local dashboard call the API from
 * the browser; in AWS the HTTP API's own CORS settings do this.
 */
export async function serveFetch(
  handler: (request: Request) => Promise<Response>,
  options: { port: number; host?: string; corsOrigins?: string[] },
): Promise<NodeServer> {
  const host = options.host ?? '127.0.0.1';
  const cors = new Set(options.corsOrigins ?? []);
  const server = http.createServer((req, res) => {
    void (async () => {
      const origin = req.headers.origin;
      const corsHeaders: Record<string, string> =
        origin && cors.has(origin)
          ? {
              'access-control-allow-origin': origin,
              'access-control-allow-headers': 'authorization, content-type',
              'access-control-allow-methods': 'GET, POST, OPTIONS',
              'access-control-expose-headers': 'x-request-id',
              vary: 'origin',
            }
          : {};
      if (req.method === 'OPTIONS' && corsHeaders['access-control-allow-origin']) {
        res.writeHead(204, { ...corsHeaders, 'access-control-max-age': '600' }).end();
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) headers.set(name, value.join(', '));
      }
      const method = req.method ?? 'GET';
      const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(await readBody(req));
      const request = new Request(`http://${req.headers.host ?? host}${req.url ?? '/'}`, {
        method,
        headers,
        body,
      });
      const response = await handler(request);
      const out: Record<string, string> = { ...corsHeaders };
      response.headers.forEach((value, name) => {
        out[name] = value;
      });
      res.writeHead(response.status, out);
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"internal","message":"Internal error"}}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
