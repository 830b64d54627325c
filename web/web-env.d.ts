// Ambient types for the dashboard (kept instead of the generated next-env.d.ts, which is git-ignored).
/// <reference types="next" />
/// <reference types="next/image-types/global" />

declare module 'server-only';
