import { defineConfig } from 'tsup';

/** The build every adapter package shares: one ESM entry point and its declarations, internals stripped. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  dts: { compilerOptions: { stripInternal: true, customConditions: [] } },
  sourcemap: true,
  clean: true,
  treeshake: true,
});
