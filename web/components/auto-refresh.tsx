'use client';
// Re-renders the current page's server components every few seconds (near-real-time numbers), pausable.
import { Button } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/**
 * Calls `router.refresh()` every `seconds` while the tab is visible and the user has not paused it.
 * Never before the page has finished loading: on a slow machine a refresh that lands while parts of the
 * page are still hydrating makes React hydrate them against newer server output (the "… ago" text has
 * moved on), which it reports as a hydration mismatch.
 */
export function AutoRefresh({ seconds }: { seconds: number }) {
  const router = useRouter();
  const [live, setLive] = useState(true);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && document.readyState === 'complete') router.refresh();
    }, seconds * 1000);
    return () => clearInterval(timer);
  }, [live, seconds, router]);
  return (
    <Button
      size="xs"
      variant="secondary"
      color={live ? 'emerald' : 'gray'}
      onClick={() => setLive((v) => !v)}
      data-testid="auto-refresh"
    >
      {live ? `● Live · every ${seconds} s` : '❚❚ Paused'}
    </Button>
  );
}
