// Test runner configuration: five tiers chosen by file name (ARCHITECTURE.md, "Tests").
import { defineConfig } from 'vitest/config';

const exclude = [
  '**/node_modules/**',
  '.data/**',
  'web/.next/**',
  'web/.next-dev/**',
  'cdk.out/**',
  '**/.venv/**',
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          // No unit test mocks modules, stubs globals or changes the environment (infra/testing/unit-tier.test.ts
          // checks), so the files of a worker share one module graph: each dependency is imported once per worker.
          isolate: false,
          testTimeout: 30_000,
          exclude: [
            ...exclude,
            '**/*.property.test.ts',
            '**/*.synth.test.ts',
            '**/*.integration.test.ts',
            '**/*.e2e.test.ts',
          ],
        },
      },
      {
        test: {
          // Thousands of generated cases per property: no I/O, but seconds of CPU per file.
          name: 'property',
          include: ['**/*.property.test.ts'],
          exclude,
          testTimeout: 120_000,
        },
      },
      {
        test: {
          // The CDK: no network, but loading aws-cdk-lib takes seconds and synthesis 10–80 s per file of CPU.
          name: 'synth',
          include: ['**/*.synth.test.ts'],
          exclude,
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.integration.test.ts'],
          exclude,
          globalSetup: ['./infra/testing/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['**/*.e2e.test.ts'],
          exclude,
          globalSetup: ['./infra/testing/global-setup.ts', './infra/testing/web-build-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
