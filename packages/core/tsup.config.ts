import { defineConfig } from 'tsup';

// One .js per source file, not bundled: with `"sideEffects": false`, an app's bundler keeps only the
// modules it reaches (`bundleId` alone does not carry the engine, zod or the archive code). Code
// loaded only when used (tar-stream) sits behind a dynamic `import()`.
// Declarations are emitted by tsc (tsconfig.build.json), one .d.ts per source file, so "go to
// definition" in a user's editor lands in dist/railyard/create-railyard.d.ts.

export default defineConfig({
  entry: ['src/**/*.ts'],
  bundle: false,
  format: ['esm'],
  target: 'node20',
  sourcemap: true,
  clean: true,
});
