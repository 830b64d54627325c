// Unit-test doubles for the edge core: an in-memory key store and a recording sink (no network).
import { randomUUID } from 'node:crypto';
import { generateApiKey, type KeyTagSecret, keyTagVerifier } from '../../contract/index.ts';
import { TEST_KEY_TAG, TEST_KEY_TAG_SECRETS } from '../../infra/testing/key-tag.ts';
import { createLogger } from '../../runtime/log.ts';
import { KeyCache } from '../src/auth/key-cache.ts';
import type { KeyRecord, KeyStore } from '../src/auth/key-record.ts';
import { KeyRateLimiter } from '../src/auth/rate-limiter.ts';
import { DEFAULT_TUNING } from '../src/config.ts';
import type { EdgeDeps } from '../src/deps.ts';
import type { EventSink } from '../src/sink/batching-sink.ts';

/** A KeyStore over a Map; `down` makes every read fail like an unreachable DynamoDB. */
export class MemoryKeyStore implements KeyStore {
  readonly records = new Map<string, KeyRecord>();
  reads = 0;
  down = false;

  async get(prefix: string): Promise<KeyRecord | undefined> {
    this.reads++;
    if (this.down) throw new Error('store down');
    return this.records.get(prefix);
  }

  /** Adds a fresh key and returns its full text. */
  add(
    status: KeyRecord['status'] = 'active',
    tag: KeyTagSecret = TEST_KEY_TAG,
  ): { key: string; record: KeyRecord } {
    const generated = generateApiKey(tag);
    const record: KeyRecord = {
      keyId: randomUUID(),
      orgId: randomUUID(),
      projectId: randomUUID(),
      secretSha256: generated.secretSha256,
      status,
      version: Date.now(),
    };
    this.records.set(generated.prefix, record);
    return { key: generated.key, record };
  }
}

/** A store whose reads wait until the test releases them, so saturation is reached deterministically. */
export class HeldKeyStore extends MemoryKeyStore {
  readonly held: Array<{ prefix: string; release: () => void }> = [];
  readonly order: string[] = [];
  private holding = true;

  override get(prefix: string): Promise<KeyRecord | undefined> {
    this.order.push(prefix);
    if (!this.holding) return super.get(prefix);
    return new Promise((resolve, reject) => {
      this.held.push({
        prefix,
        release: () => super.get(prefix).then(resolve, reject),
      });
    });
  }

  /** Lets the oldest held read answer. */
  releaseOne(): void {
    this.held.shift()?.release();
  }

  /** Stops holding: every held read answers, and later reads answer at once. */
  releaseAll(): void {
    this.holding = false;
    for (const read of this.held.splice(0)) read.release();
  }
}

/** A sink that records what it was given (or fails when `fail` is set). */
export class RecordingSink implements EventSink {
  readonly records: Buffer[] = [];
  fail = false;

  async put(records: readonly Buffer[]): Promise<void> {
    if (this.fail) {
      const { UnavailableError } = await import('../src/http/errors.ts');
      throw new UnavailableError('sink down', 1);
    }
    this.records.push(...records);
  }

  /** Every NDJSON line handed over so far, parsed. */
  lines(): Array<Record<string, unknown>> {
    return this.records
      .flatMap((r) => r.toString('utf8').split('\n'))
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/** Core deps over the fakes, with the production tuning. */
export function fakeDeps(
  store = new MemoryKeyStore(),
  sink = new RecordingSink(),
): EdgeDeps & {
  store: MemoryKeyStore;
  recording: RecordingSink;
} {
  return {
    keys: new KeyCache(store, DEFAULT_TUNING.keyCache),
    keyTag: keyTagVerifier(TEST_KEY_TAG_SECRETS),
    rateLimit: new KeyRateLimiter(DEFAULT_TUNING.rateLimit),
    sink,
    clock: { now: Date.now },
    edgeRegion: 'test-region',
    timestamps: DEFAULT_TUNING.timestamps,
    sinkDeadlineMs: 1000,
    log: createLogger({ service: 'edge', level: 'silent' }),
    store,
    recording: sink,
  };
}
