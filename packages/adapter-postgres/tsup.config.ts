import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  dts: { compilerOptions: { stripInternal: true, customConditions: [] } },
  sourcemap: true,
  clean: true,
  treeshake: true,
});
