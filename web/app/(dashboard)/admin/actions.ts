'use server';
// Admin mutations as server actions: the browser never sees the token, only the outcome (or the error view).
import { revalidatePath } from 'next/cache';
import { regionalApi } from '../../../lib/api.ts';
import { type ErrorView, errorView } from '../../../lib/api-errors.ts';
import type { CreatedApiKey, Project } from '../../../lib/api-types.ts';
import { getSession } from '../../../lib/session.ts';
import type { Session } from '../../../lib/session-types.ts';

/** Outcome of an admin action, serializable to the client. */
export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: ErrorView };

async function run<T>(fn: (api: ReturnType<typeof regionalApi>, session: Session) => Promise<T>) {
  const session = await getSession();
  if (!session) {
    return {
      ok: false,
      error: { kind: 'signed-out', title: 'Your session has ended', message: 'Sign in again to continue.' },
    } satisfies ActionResult<T>;
  }
  try {
    return { ok: true, value: await fn(regionalApi(session), session) } satisfies ActionResult<T>;
  } catch (error) {
    return { ok: false, error: errorView(error) } satisfies ActionResult<T>;
  }
}

/** Creates a project (the API writes the audit row). */
export async function createProjectAction(name: string): Promise<ActionResult<Project>> {
  const result = await run((api) => api.createProject(name));
  if (result.ok) revalidatePath('/admin');
  return result;
}

/** Creates an API key; the full key is in this result only, and is never stored by the dashboard. */
export async function createApiKeyAction(
  projectId: string,
  name: string,
): Promise<ActionResult<CreatedApiKey>> {
  const result = await run((api) => api.createApiKey(projectId, name));
  // The answer carries the page rendered afresh, so the new key is in the list at once.
  if (result.ok) revalidatePath('/admin/keys');
  return result;
}

/** Revokes an API key; the edge refuses it within seconds. */
export async function revokeApiKeyAction(
  keyId: string,
): Promise<ActionResult<{ id: string; revoked_at: string }>> {
  const result = await run((api) => api.revokeApiKey(keyId));
  if (result.ok) revalidatePath('/admin/keys');
  return result;
}
