// vitest globalSetup of the e2e tier: the dashboard's production build, made once before any test starts
// a stack (each `npm start` then finds it current instead of building inside a test's time limit).
import { ensureDashboardBuild } from '../local/web-build.ts';

export default async function setup(): Promise<void> {
  await ensureDashboardBuild((message) => process.stdout.write(`${message}\n`));
}
