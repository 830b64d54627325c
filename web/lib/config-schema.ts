// The dashboard's configuration schema: parsed once from the environment (runtime/env.ts), failing loudly by variable name.
import * as v from 'valibot';
import { parseEnv } from '../../runtime/env.ts';

const url = v.pipe(
  v.string('is required'),
  v.nonEmpty('is required'),
  v.url('must be an absolute URL'),
  v.transform((s) => s.replace(/\/+$/, '')),
);

const EnvSchema = v.object({
  LLMO_WEB_API_URL: url,
  LLMO_WEB_ISSUER: url,
  LLMO_WEB_CLIENT_ID: v.pipe(v.string('is required'), v.nonEmpty('is required')),
  LLMO_WEB_BASE_URL: url,
  LLMO_WEB_SESSION_SECRET: v.pipe(v.string('is required'), v.minLength(32, 'must be at least 32 characters')),
  LLMO_WEB_INGEST_URL: v.optional(url),
  LLMO_WEB_SESSION_STORE: v.optional(v.pipe(v.string(), v.nonEmpty('must be a file path when set'))),
});

/** Validated dashboard configuration (URLs without a trailing slash). */
export interface WebConfig {
  /** Regional API base URL (API Gateway in AWS). */
  apiUrl: string;
  /** OIDC issuer (the Cognito user pool in AWS); its discovery document names every endpoint. */
  issuer: string;
  clientId: string;
  /** Public URL of the dashboard itself; the redirect URI is derived from it. */
  baseUrl: string;
  /** Key material for the session and sign-in cookies; never sent anywhere. */
  sessionSecret: string;
  /** The public ingest URL (the edge), shown in ready-to-paste snippets; a placeholder when unset. */
  ingestUrl: string;
  /** File keeping signed-out session ids across restarts; in memory only when unset. */
  sessionStoreFile: string | undefined;
  /** Cookies get `Secure` when the dashboard is served over HTTPS. */
  secureCookies: boolean;
}

/** Parses the environment into a `WebConfig` or throws `ConfigError` (runtime/env.ts) naming the first bad variable. */
export function parseWebConfig(env: Record<string, string | undefined>): WebConfig {
  const e = parseEnv(EnvSchema, env);
  return {
    apiUrl: e.LLMO_WEB_API_URL,
    issuer: e.LLMO_WEB_ISSUER,
    clientId: e.LLMO_WEB_CLIENT_ID,
    baseUrl: e.LLMO_WEB_BASE_URL,
    sessionSecret: e.LLMO_WEB_SESSION_SECRET,
    ingestUrl: e.LLMO_WEB_INGEST_URL ?? 'https://YOUR-INGEST-HOST',
    sessionStoreFile: e.LLMO_WEB_SESSION_STORE,
    secureCookies: e.LLMO_WEB_BASE_URL.startsWith('https://'),
  };
}
