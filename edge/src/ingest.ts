// POST /v1/events: key → headers → body → per-event validation → envelope → Firehose → 202.
import { authenticate } from './auth/authenticate.ts';
import { checkContentHeaders } from './body/content-headers.ts';
import { decodeBody } from './body/decode-body.ts';
import { parseEventBatch } from './body/parse-batch.ts';
import type { EdgeDeps } from './deps.ts';
import { AllEventsRejectedError, RateLimitedError } from './http/errors.ts';
import { acceptedReply } from './http/reply.ts';
import type { EdgeRequest, Reply } from './http/reply-types.ts';
import { envelopeHead } from './sink/envelope.ts';
import { packEnvelopes } from './sink/pack-records.ts';

/** Handles one ingest request; throws EdgeErrors, which the router maps to replies. */
export async function ingestEvents(request: EdgeRequest, deps: EdgeDeps, requestId: string): Promise<Reply> {
  const key = await authenticate(request.headers.get('authorization'), deps.keys, deps.keyTag);
  const retryAfter = deps.rateLimit.take(key.keyId, deps.clock.now());
  if (retryAfter > 0) throw new RateLimitedError(retryAfter);
  const encoding = checkContentHeaders(request.headers);
  const { text, ascii } = await decodeBody(request.body, encoding, request.bodyTruncated);
  const receivedAt = deps.clock.now();
  const batch = parseEventBatch(text, receivedAt, deps.timestamps);
  if (batch.accepted.length === 0) throw new AllEventsRejectedError(batch.rejected);
  const head = envelopeHead({
    key,
    receivedAt: new Date(receivedAt).toISOString(),
    edgeRegion: deps.edgeRegion,
    requestId,
  });
  // Raw events are slices of the body, ASCII whenever the body is; CR/LF replacement keeps that.
  const records = packEnvelopes(head, batch.accepted, ascii);
  await deps.sink.put(records, receivedAt + deps.sinkDeadlineMs);
  return acceptedReply(batch.accepted.length, batch.rejected, requestId);
}
