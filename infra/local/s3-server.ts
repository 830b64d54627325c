// Local S3 stand-in: enough of the S3 REST API (path-style) for the real @aws-sdk/client-s3.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../../runtime/log.ts';
import { listenLocal } from './listen.ts';
import { decodeAwsChunked, isAwsChunked } from './s3/aws-chunked.ts';
import { NoSuchEntityError, type ObjectMeta, ObjectStore } from './s3/object-store.ts';

/** A running S3 stand-in. */
export interface LocalS3Server {
  endpoint: string;
  store: ObjectStore;
  stop(): Promise<void>;
}

const xmlEscape = (s: string) =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
}

function sendError(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  code: string,
  requestId: string,
): void {
  if (req.method === 'HEAD') {
    res.writeHead(status, { 'x-amz-request-id': requestId });
    res.end();
    return;
  }
  sendXml(
    res,
    status,
    `<Error><Code>${code}</Code><Message>${code}</Message><RequestId>${requestId}</RequestId></Error>`,
    requestId,
  );
}

function objectHeaders(meta: ObjectMeta, requestId: string): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': meta.contentType,
    'content-length': String(meta.size),
    etag: `"${meta.etag}"`,
    'last-modified': new Date(meta.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-request-id': requestId,
  };
  if (meta.contentEncoding) headers['content-encoding'] = meta.contentEncoding;
  for (const [k, v] of Object.entries(meta.metadata)) headers[`x-amz-meta-${k}`] = v;
  return headers;
}

function listXml(bucket: string, objects: ObjectMeta[], query: URLSearchParams): string {
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = Math.min(1000, Number(query.get('max-keys') ?? 1000) || 1000);
  const after = query.get('continuation-token')
    ? Buffer.from(query.get('continuation-token') ?? '', 'base64url').toString('utf8')
    : (query.get('start-after') ?? '');
  const contents: ObjectMeta[] = [];
  const prefixes = new Set<string>();
  let truncated = false;
  let last = '';
  for (const meta of objects) {
    if (meta.key <= after) continue;
    let commonPrefix: string | undefined;
    if (delimiter) {
      const at = meta.key.indexOf(delimiter, prefix.length);
      if (at !== -1) commonPrefix = meta.key.slice(0, at + delimiter.length);
    }
    if (commonPrefix !== undefined && prefixes.has(commonPrefix)) continue;
    if (contents.length + prefixes.size >= maxKeys) {
      truncated = true;
      break;
    }
    if (commonPrefix !== undefined) prefixes.add(commonPrefix);
    else contents.push(meta);
    last = meta.key;
  }
  const items = contents
    .map(
      (m) =>
        `<Contents><Key>${xmlEscape(m.key)}</Key><LastModified>${m.lastModified}</LastModified><ETag>&quot;${m.etag}&quot;</ETag><Size>${m.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const common = [...prefixes]
    .map((p) => `<CommonPrefixes><Prefix>${xmlEscape(p)}</Prefix></CommonPrefixes>`)
    .join('');
  const next = truncated
    ? `<NextContinuationToken>${Buffer.from(last, 'utf8').toString('base64url')}</NextContinuationToken>`
    : '';
  return (
    `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket)}</Name>` +
    `<Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${contents.length + prefixes.size}</KeyCount>` +
    `<MaxKeys>${maxKeys}</MaxKeys>${delimiter ? `<Delimiter>${xmlEscape(delimiter)}</Delimiter>` : ''}` +
    `<IsTruncated>${truncated}</IsTruncated>${items}${common}${next}</ListBucketResult>`
  );
}

async function route(store: ObjectStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const [, bucketPart = '', ...keyParts] = url.pathname.split('/');
  const bucket = decodeURIComponent(bucketPart);
  const key = keyParts.map(decodeURIComponent).join('/');
  const method = req.method ?? 'GET';
  try {
    if (!bucket) return sendError(res, req, 400, 'InvalidBucketName', requestId);
    if (!key) {
      if (method === 'PUT') {
        await readAll(req);
        await store.createBucket(bucket);
        res.writeHead(200, { location: `/${bucket}`, 'x-amz-request-id': requestId });
        return void res.end();
      }
      if (method === 'HEAD') {
        res.writeHead((await store.bucketExists(bucket)) ? 200 : 404, { 'x-amz-request-id': requestId });
        return void res.end();
      }
      if (method === 'GET') {
        const objects = await store.list(bucket, url.searchParams.get('prefix') ?? '');
        return sendXml(res, 200, listXml(bucket, objects, url.searchParams), requestId);
      }
      return sendError(res, req, 405, 'MethodNotAllowed', requestId);
    }
    if (method === 'PUT') {
      if (req.headers['x-amz-copy-source']) return sendError(res, req, 501, 'NotImplemented', requestId);
      let body = await readAll(req);
      const encodings = req.headers['content-encoding'];
      if (isAwsChunked(encodings)) body = decodeAwsChunked(body);
      const contentEncoding = (encodings ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e && e.toLowerCase() !== 'aws-chunked')
        .join(', ');
      const metadata: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice(11)] = value;
      }
      const meta = await store.put(bucket, key, body, {
        contentType: req.headers['content-type'] ?? 'binary/octet-stream',
        ...(contentEncoding ? { contentEncoding } : {}),
        metadata,
      });
      res.writeHead(200, { etag: `"${meta.etag}"`, 'x-amz-request-id': requestId });
      return void res.end();
    }
    if (method === 'HEAD') {
      const meta = await store.head(bucket, key);
      res.writeHead(200, objectHeaders(meta, requestId));
      return void res.end();
    }
    if (method === 'GET') {
      const { meta, stream } = await store.open(bucket, key);
      res.writeHead(200, objectHeaders(meta, requestId));
      stream.pipe(res);
      return;
    }
    if (method === 'DELETE') {
      await store.delete(bucket, key);
      res.writeHead(204, { 'x-amz-request-id': requestId });
      return void res.end();
    }
    return sendError(res, req, 405, 'MethodNotAllowed', requestId);
  } catch (error) {
    if (error instanceof NoSuchEntityError) return sendError(res, req, 404, error.code, requestId);
    return sendError(res, req, 500, 'InternalError', requestId);
  }
}

/** Starts the stand-in on 127.0.0.1:`port` (0 = any) storing under `dataDir`; creates `buckets`. */
export async function startS3Server(options: {
  port: number;
  dataDir: string;
  buckets?: string[];
  /** Where an unreadable metadata file is reported (default: a JSON logger on stdout). */
  logger?: Logger;
}): Promise<LocalS3Server> {
  const store = new ObjectStore(options.dataDir, options.logger ? { logger: options.logger } : {});
  for (const bucket of options.buckets ?? []) await store.createBucket(bucket);
  const server: Server = createServer((req, res) => {
    void route(store, req, res);
  });
  const listening = await listenLocal(server, options.port);
  return {
    endpoint: `http://127.0.0.1:${listening.port}`,
    store,
    stop: listening.close,
  };
}
