// The local OIDC issuer (oidc-provider) standing in for Cognito: code flow + PKCE, Cognito claim names.
import http from 'node:http';
import Provider, { type Configuration } from 'oidc-provider';
import { LOCAL_CLIENT_ID } from './client-id.ts';
import { publicJwk, type SigningJwk } from './issuer-keys.ts';
import { listenLocal } from './listen.ts';
import { renderLoginPage, renderLogoutPage } from './login-page.ts';
import { checkPassword, type LocalUser } from './users.ts';

/** How to run the issuer. */
export interface IssuerOptions {
  port: number;
  key: SigningJwk;
  /** Current accounts; read on every sign-in so that users added later can sign in without a restart. */
  users: () => Promise<LocalUser[]>;
  /** Where the dashboard receives the authorization code. */
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** Secret for the issuer's own session cookies. */
  cookieSecret: string;
}

/** A running issuer. */
export interface RunningIssuer {
  issuer: string;
  jwksUri: string;
  stop(): Promise<void>;
}

/** Starts the issuer on 127.0.0.1; its issuer URL is `http://localhost:<port>`. */
export async function startLocalIssuer(options: IssuerOptions): Promise<RunningIssuer> {
  const server = http.createServer();
  const listening = await listenLocal(server, options.port);
  const issuer = `http://localhost:${listening.port}`;
  const provider = new Provider(issuer, configuration(options));
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      handleInteraction(provider, options, req, res).catch((error: unknown) => {
        res.statusCode = 400;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end(`sign-in failed: ${error instanceof Error ? error.message : 'unknown error'}`);
      });
      return;
    }
    callback(req, res);
  });
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    stop: listening.close,
  };
}

function configuration(options: IssuerOptions): Configuration {
  return {
    clients: [
      {
        client_id: LOCAL_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
      },
    ],
    jwks: { keys: [options.key] },
    cookies: { keys: [options.cookieSecret] },
    // Cognito puts these in every ID token, whatever the scope.
    claims: {
      openid: ['sub', 'token_use', 'custom:org_id', 'cognito:groups'],
      email: ['email', 'email_verified'],
    },
    conformIdTokenClaims: false,
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // No confirmation step: the dashboard's sign-out button was the confirmation (as with Cognito).
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = renderLogoutPage(form);
        },
      },
    },
    ttl: { IdToken: 3600, AccessToken: 3600, Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const user = (await options.users()).find((u) => u.sub === sub);
      if (!user) return undefined;
      return {
        accountId: user.sub,
        claims: async () => ({
          sub: user.sub,
          token_use: 'id',
          email: user.email,
          email_verified: true,
          'custom:org_id': user.orgId,
          'cognito:groups': user.role === 'admin' ? ['admin'] : [],
        }),
      };
    },
  };
}

/** The sign-in form and the automatic consent of the first-party dashboard client. */
async function handleInteraction(
  provider: Provider,
  options: IssuerOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    if (req.method === 'GET') {
      sendHtml(res, renderLoginPage(details.uid));
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const email = (form.get('email') ?? '').trim().toLowerCase();
    const user = (await options.users()).find((u) => u.email.toLowerCase() === email);
    // Same answer for an unknown email and a wrong password.
    if (!user || !checkPassword(form.get('password') ?? '', user.passwordHash)) {
      sendHtml(res, renderLoginPage(details.uid, 'Wrong email or password.'), 401);
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  // consent: the dashboard is our own client, so the requested scopes are granted without a prompt.
  const accountId = details.session?.accountId;
  const clientId = details.params.client_id;
  if (!accountId || typeof clientId !== 'string') throw new Error('no session for this interaction');
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error('grant expired');
  const scope = typeof details.params.scope === 'string' ? details.params.scope : 'openid';
  grant.addOIDCScope(scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function sendHtml(res: http.ServerResponse, html: string, status = 200): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(html);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export { LOCAL_CLIENT_ID, publicJwk };
