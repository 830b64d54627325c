// Derives the per-role connection strings (owner, app, system) from the owner's DATABASE_URL.

/** Passwords of the two login roles the services use; the owner's credentials stay in the owner URL. */
export interface RolePasswords {
  app: string;
  system: string;
}

/** Connection strings for the three roles: owner (migrations), app (API, RLS-bound), system (loader, propagator). */
export interface DatabaseUrls {
  owner: string;
  app: string;
  system: string;
}

/** Role names created by `ensureRoles`; fixed because the migrations grant to them by name. */
export const APP_ROLE = 'llmo_app';
export const SYSTEM_ROLE = 'llmo_system';

/** Same host, port, database and options as the owner URL, with each service role's credentials. */
export function databaseUrls(ownerUrl: string, passwords: RolePasswords): DatabaseUrls {
  const withUser = (user: string, password: string): string => {
    const url = new URL(ownerUrl);
    url.username = user;
    url.password = encodeURIComponent(password);
    return url.toString();
  };
  return {
    owner: ownerUrl,
    app: withUser(APP_ROLE, passwords.app),
    system: withUser(SYSTEM_ROLE, passwords.system),
  };
}

/** The URL with its password masked, for logs and printed output. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
