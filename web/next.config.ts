// Next.js configuration of the dashboard (local `next dev web`, `next build web` for Vercel).
import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-side libraries run as plain Node packages instead of being bundled.
  serverExternalPackages: ['aws-jwt-verify'],
  // The dev overlay's indicator would cover page content in screenshots.
  devIndicators: false,
};

export default config;
