'use client';
// Re-renders the current page's server components every few seconds (near-real-time numbers), pausable.
import { Button } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/** Calls `router.refresh()` every `seconds` while the tab is visible and the user has not paused it. */
export function AutoRefresh({ seconds }: { seconds: number }) {
  const router = useRouter();
  const [live, setLive] = useState(true);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
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
