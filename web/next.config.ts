// Next.js configuration of the dashboard (`next build` for `npm start` and Vercel, `next dev` for dev:web).
import type { NextConfig } from 'next';
import { STATIC_SECURITY_HEADERS } from './lib/security-headers.ts';

const config: NextConfig = {
  reactStrictMode: true,
  // `next dev` (npm run dev:web) builds into its own folder so it never overwrites the production build.
  distDir: process.env.LLMO_WEB_DIST_DIR ?? '.next',
  poweredByHeader: false,
  // `npm run typecheck` and `npm run lint` check web/ already; the build does not repeat them.
  typescript: { ignoreBuildErrors: true },
  eslint: { ignoreDuringBuilds: true },
  // The dev overlay's indicator would cover page content in screenshots.
  devIndicators: false,
  // The server side logs through the repository's one logger module, runtime/log.ts (outside web/).
  experimental: { externalDir: true },
  // Anti-framing, no MIME sniffing, no full referrers, on every route in dev and production alike; the
  // CSP, which needs a per-request nonce, is set by middleware.ts.
  async headers() {
    return [{ source: '/:path*', headers: [...STATIC_SECURITY_HEADERS] }];
  },
};

export default config;
