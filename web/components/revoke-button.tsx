'use client';
// Revoking an API key, with an explicit confirmation step (revocation cannot be undone).
import { Button } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionResult } from '../app/(dashboard)/admin/actions.ts';

/** "Revoke" → "Revoke <prefix>? Yes / Cancel"; errors are shown inline. */
export function RevokeButton({
  keyId,
  label,
  action,
}: {
  keyId: string;
  label: string;
  action: (keyId: string) => Promise<ActionResult<{ id: string; revoked_at: string }>>;
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  if (!confirming) {
    return (
      <Button size="xs" variant="secondary" color="rose" onClick={() => setConfirming(true)}>
        Revoke
      </Button>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="confirm-revoke">
      <span className="text-xs text-gray-700">Revoke {label}? Clients using it stop working.</span>
      <Button
        size="xs"
        color="rose"
        loading={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await action(keyId);
            if (result.ok) {
              setConfirming(false);
              router.refresh();
            } else {
              setError(result.error.message);
            }
          })
        }
      >
        Yes, revoke
      </Button>
      <Button size="xs" variant="light" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
      {error ? <span className="text-xs text-rose-700">{error}</span> : null}
    </span>
  );
}
