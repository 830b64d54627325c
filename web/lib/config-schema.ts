// The dashboard's configuration schema: parsed once from the environment, failing loudly by variable name.
import * as v from 'valibot';

const url = (name: string) =>
  v.pipe(
    v.string(`${name} is required`),
    v.nonEmpty(`${name} is required`),
    v.url(`${name} must be an absolute URL`),
    v.transform((s) => s.replace(/\/+$/, '')),
  );

const EnvSchema = v.object({
  LLMO_WEB_API_URL: url('LLMO_WEB_API_URL'),
  LLMO_WEB_ISSUER: url('LLMO_WEB_ISSUER'),
  LLMO_WEB_CLIENT_ID: v.pipe(
    v.string('LLMO_WEB_CLIENT_ID is required'),
    v.nonEmpty('LLMO_WEB_CLIENT_ID is required'),
  ),
  LLMO_WEB_BASE_URL: url('LLMO_WEB_BASE_URL'),
  LLMO_WEB_SESSION_SECRET: v.pipe(
    v.string('LLMO_WEB_SESSION_SECRET is required'),
    v.minLength(32, 'LLMO_WEB_SESSION_SECRET must be at least 32 characters'),
  ),
  LLMO_WEB_INGEST_URL: v.optional(url('LLMO_WEB_INGEST_URL')),
  LLMO_WEB_SESSION_STORE: v.optional(
    v.pipe(v.string(), v.nonEmpty('LLMO_WEB_SESSION_STORE must be a file path when set')),
  ),
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

/** Invalid or missing configuration; the message names the variable and never echoes its value. */
export class WebConfigError extends Error {
  override name = 'WebConfigError';
}

/** Parses the environment into a `WebConfig` or throws `WebConfigError` naming every bad variable. */
export function parseWebConfig(env: Record<string, string | undefined>): WebConfig {
  const result = v.safeParse(EnvSchema, env);
  if (!result.success) {
    const messages = [...new Set(result.issues.map((issue) => issue.message))];
    throw new WebConfigError(`invalid dashboard configuration: ${messages.join('; ')}`);
  }
  const e = result.output;
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
