import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/adapters.ts', 'src/errors.ts', 'src/testing.ts'],
  format: ['esm'],
  target: 'node20',
  dts: { compilerOptions: { stripInternal: true, customConditions: [] } },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
});
