import { defineConfig } from 'vitest/config';

// Tests import workspace packages through their `exports`, resolved to TypeScript sources by the
// "@railyard/source" condition, so `npm test` needs no build step.
export default defineConfig({
  resolve: { conditions: ['@railyard/source'] },
  ssr: { resolve: { conditions: ['@railyard/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { enabled: true, include: ['packages/*/test/**/*.test-d.ts'], tsconfig: './tsconfig.typecheck.json' },
    reporters: process.env.RAILYARD_TEST_REPORT
      ? ['default', ['json', { outputFile: process.env.RAILYARD_TEST_REPORT }]]
      : ['default'],
  },
});
