// Root layout of the dashboard: document shell and global styles.
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'LLM Observer',
  description: 'Near-real-time metrics of your LLM calls',
};

/** The HTML document every page renders in. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: Next can then stamp the CSP nonce from middleware.ts on its scripts
  // (a page prerendered at build time would carry no nonce, and its scripts would be refused).
  await headers();
  return (
    <html lang="en" className="[color-scheme:light_dark]">
      <body className="min-h-screen bg-gray-50 text-gray-900 antialiased dark:bg-gray-950 dark:text-gray-100">
        {children}
      </body>
    </html>
  );
}
