// Shutdown order (edge, drain, loader, the rest) and how repeated Ctrl-Cs count.
import { describe, expect, it } from 'vitest';
import { type Stoppable, signalGate, stopInOrder } from './shutdown.ts';

describe('stopInOrder', () => {
  it('stops the edge, drains, stops the loader, then the rest newest first; a failing stop does not stop the others', async () => {
    const calls: string[] = [];
    const part = (name: string, extra: Partial<Stoppable> = {}): Stoppable => ({
      name,
      stop: async () => {
        calls.push(`stop ${name}`);
        if (name === 'api') throw new Error('boom');
      },
      ...extra,
    });
    const errors: string[] = [];
    const logs: string[] = [];
    await stopInOrder(
      [
        part('postgres'),
        part('firehose', {
          drain: async (ms) => {
            calls.push(`drain firehose ${ms}`);
            return false;
          },
        }),
        part('loader'),
        part('edge'),
        part('api'),
        part('web'),
      ],
      { drainTimeoutMs: 1234, log: (m) => logs.push(m), error: (name) => errors.push(name) },
    );
    expect(calls).toEqual([
      'stop edge',
      'drain firehose 1234',
      'stop loader',
      'stop web',
      'stop api',
      'stop firehose',
      'stop postgres',
    ]);
    expect(errors).toEqual(['api']);
    expect(logs.some((m) => m.includes('stays in the data folder'))).toBe(true);
  });
});

describe('signalGate', () => {
  function gate() {
    let clock = 0;
    const seen: string[] = [];
    const deliver = signalGate(
      {
        stop: () => seen.push('stop'),
        repeated: (n) => seen.push(`repeated ${n}`),
        force: () => seen.push('force'),
      },
      { now: () => clock },
    );
    return {
      seen,
      at(ms: number) {
        clock = ms;
        deliver();
      },
    };
  }

  it('counts one Ctrl-C delivered several times (group + forwarding parent) as one press', () => {
    const g = gate();
    g.at(0);
    g.at(5);
    g.at(40);
    expect(g.seen).toEqual(['stop']);
  });

  it('tells the second press to wait and forces on the third', () => {
    const g = gate();
    g.at(0);
    g.at(10);
    g.at(2_000);
    g.at(2_010);
    expect(g.seen).toEqual(['stop', 'repeated 2']);
    g.at(4_000);
    expect(g.seen).toEqual(['stop', 'repeated 2', 'force']);
  });
});
