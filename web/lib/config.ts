// The dashboard's configuration, read from the environment once per server process (server only).
import 'server-only';
import { parseWebConfig, type WebConfig } from './config-schema.ts';

let cached: WebConfig | undefined;

/** The validated configuration; throws `ConfigError` naming the variable on first use if it is wrong. */
export function webConfig(): WebConfig {
  cached ??= parseWebConfig(process.env);
  return cached;
}
