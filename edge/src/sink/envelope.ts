// Envelope v1 lines (contract/src/envelope.ts): the constant head written before each event's raw text.
import type { AuthenticatedKey } from '../auth/authenticate.ts';

/** Who and where: everything in an envelope except the event. */
export interface EnvelopeContext {
  key: AuthenticatedKey;
  receivedAt: string;
  edgeRegion: string;
  requestId: string;
}

/**
 * The constant head of every line of one request, ending in `"event":`. Each field goes through
 * JSON.stringify so no value can break out of its string.
 */
export function envelopeHead(ctx: EnvelopeContext): string {
  return (
    `{"v":1,"org_id":${JSON.stringify(ctx.key.orgId)},"project_id":${JSON.stringify(ctx.key.projectId)},` +
    `"key_id":${JSON.stringify(ctx.key.keyId)},"received_at":${JSON.stringify(ctx.receivedAt)},` +
    `"edge_region":${JSON.stringify(ctx.edgeRegion)},"request_id":${JSON.stringify(ctx.requestId)},"event":`
  );
}
