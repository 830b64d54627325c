// What every local-stack service receives when it starts, and what it hands back.
import type { DatabaseUrls } from '../../regional/db/urls.ts';
import type { Logger } from '../../runtime/log.ts';
import type { LocalConfig } from './config.ts';
import type { SigningJwk } from './issuer-keys.ts';
import type { LocalSecrets } from './secrets.ts';

/** The demo tenant seeded at first start. */
export interface DemoTenant {
  orgId: string;
  projectId: string;
  adminEmail: string;
  memberEmail: string;
  password: string;
}

/** Shared, already-running infrastructure handed to each service's `start…(ctx)`. */
export interface LocalContext {
  config: LocalConfig;
  secrets: LocalSecrets;
  /** Connection strings for the owner, `llmo_app` and `llmo_system` roles. */
  db: DatabaseUrls;
  dynamoEndpoint: string;
  keyTableName: string;
  issuer: { url: string; jwksUri: string; clientId: string; key: SigningJwk };
  demo: DemoTenant;
  /** The logger of a service (runtime/log.ts: one JSON shape on stdout, LOG_LEVEL applied). */
  logger(service: string): Logger;
  /** Services started earlier, by name (e.g. the Firehose stand-in for the loader's subscription). */
  services: Map<string, RunningService>;
}

/** What `.data/stack.json` holds, plus the demo API key once the edge has made one. */
export interface StackInfo {
  ingest_url?: string;
  api_url?: string;
  web_url?: string;
  issuer: string;
  database_url: string;
  demo: {
    org_id: string;
    project_id: string;
    admin_email: string;
    member_email: string;
    password: string;
    api_key?: string;
  };
}

/** A started service. `stack` entries are merged into `.data/stack.json`. */
export interface RunningService {
  name: string;
  url?: string;
  stack?: Partial<Pick<StackInfo, 'ingest_url' | 'api_url' | 'web_url'>> & { demo_api_key?: string };
  /** Anything other services may need from this one (e.g. a subscribe function). */
  exports?: Record<string, unknown>;
  /**
   * Finishes accepted work at shutdown, after the edge stopped and before the loader stops (the Firehose
   * stand-in: land the buffer, deliver every notification); true when nothing is left.
   */
  drain?(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/** A service module's entry point. */
export type StartService = (ctx: LocalContext) => Promise<RunningService>;
