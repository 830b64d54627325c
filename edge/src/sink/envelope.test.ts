// Envelope lines are valid contract envelopes embedding the client's event text unchanged.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateEnvelope } from '../../../contract/index.ts';
import { sampleEvent } from '../../test/events.ts';
import { envelopeHead } from './envelope.ts';
import { packEnvelopes } from './pack-records.ts';

describe('envelopeHead + packEnvelopes', () => {
  it('build one valid EnvelopeV1 NDJSON line per event', () => {
    const ctx = {
      key: { keyId: randomUUID(), orgId: randomUUID(), projectId: randomUUID(), prefix: 'AAAAAAAAAAAA' },
      receivedAt: new Date().toISOString(),
      edgeRegion: 'eu-west-1',
      requestId: randomUUID(),
    };
    const events = [sampleEvent(), sampleEvent({ model: 'quote " and \\ and \u2028 and é' })];
    const records = packEnvelopes(
      envelopeHead(ctx),
      events.map((e) => JSON.stringify(e)),
      false,
    );
    const lines = records
      .map((r) => r.toString('utf8'))
      .join('')
      .split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2);
    lines.forEach((line, i) => {
      const parsed = JSON.parse(line);
      expect(validateEnvelope(parsed).ok).toBe(true);
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
