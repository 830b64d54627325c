// GET /api/health: liveness of the dashboard server (used by the local stack to know it is up).
export const dynamic = 'force-dynamic';

/** Always 200 while the server runs; it does not call the API or the issuer. */
export function GET(): Response {
  return Response.json({ ok: true });
}
