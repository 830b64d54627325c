// Envelope lines are valid contract envelopes embedding the client's event text unchanged.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateEnvelope } from '../../../contract/src/envelope.ts';
import { sampleEvent } from '../../test/events.ts';
import { envelopeLines } from './envelope.ts';

describe('envelopeLines', () => {
  it('builds one valid EnvelopeV1 NDJSON line per event', () => {
    const ctx = {
      key: { keyId: randomUUID(), orgId: randomUUID(), projectId: randomUUID(), prefix: 'AAAAAAAAAAAA' },
      receivedAt: new Date().toISOString(),
      edgeRegion: 'eu-west-1',
      requestId: randomUUID(),
    };
    const events = [sampleEvent(), sampleEvent({ model: 'quote " and \\ and \u2028' })];
    const lines = envelopeLines(
      ctx,
      events.map((e) => JSON.stringify(e)),
    );
    lines.forEach((line, i) => {
      expect(line.endsWith('}\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      const parsed = JSON.parse(line);
      const result = validateEnvelope(parsed);
      expect(result.ok).toBe(true);
      expect(parsed).toEqual({
        v: 1,
        org_id: ctx.key.orgId,
        project_id: ctx.key.projectId,
        key_id: ctx.key.keyId,
        received_at: ctx.receivedAt,
        edge_region: 'eu-west-1',
        request_id: ctx.requestId,
        event: events[i],
      });
    });
  });
});
