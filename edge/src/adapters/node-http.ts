// Node HTTP adapter for the local stack: IncomingMessage → EdgeRequest, Reply → ServerResponse.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { EdgeDeps } from '../deps.ts';
import type { EdgeRequest, HeaderReader } from '../http/reply-types.ts';
import { MAX_BODY_BYTES } from '../limits.ts';
import { handle } from '../router.ts';

/** Past this much discarded body the connection is closed instead of drained. */
const MAX_DRAIN_BYTES = 16 * 1_048_576;

function headerReader(req: IncomingMessage): HeaderReader {
  return {
    get(name) {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** Reads the body up to `limit` bytes; past it, keeps draining (bounded) and reports truncation. */
function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        truncated = true;
        chunks.length = 0;
        // Answer now rather than read an unbounded upload.
        if (size > MAX_DRAIN_BYTES) resolve({ body: Buffer.alloc(0), truncated });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      resolve({ body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), truncated }),
    );
    req.on('error', reject);
  });
}

/** A request listener serving the edge core with `deps`. */
export function createNodeListener(deps: EdgeDeps, maxBodyBytes = MAX_BODY_BYTES): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    void serve(req, res, deps, maxBodyBytes);
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  deps: EdgeDeps,
  maxBodyBytes: number,
): Promise<void> {
  try {
    const { body, truncated } = await readBody(req, maxBodyBytes);
    const request: EdgeRequest = {
      method: req.method ?? 'GET',
      url: `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`,
      headers: headerReader(req),
      body,
      bodyTruncated: truncated,
    };
    const reply = await handle(request, deps);
    if (truncated && !req.complete) reply.headers.connection = 'close';
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
    if (truncated && !req.complete) res.on('finish', () => req.destroy());
  } catch (error) {
    // Only socket errors get here (the core never throws): nothing useful can be answered.
    deps.log.warn('connection failed', { error: (error as Error).message });
    res.destroy();
  }
}
