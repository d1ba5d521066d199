import { defineConfig } from 'tsup';

/** The library entry (defineConfig and its types) and the `railyard` binary, one ESM build. */
export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  target: 'node20',
  dts: { entry: 'src/index.ts', compilerOptions: { stripInternal: true, customConditions: [] } },
  sourcemap: true,
  clean: true,
  treeshake: true,
});
