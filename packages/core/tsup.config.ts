import { defineConfig } from 'tsup';

// Declarations are emitted by tsc (tsconfig.build.json), one .d.ts per source file, so "go to
// definition" in a user's editor lands in dist/railyard/create-railyard.d.ts, not in a hashed chunk.

export default defineConfig({
  entry: ['src/index.ts', 'src/adapters.ts', 'src/errors.ts', 'src/testing.ts'],
  format: ['esm'],
  target: 'node20',
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
});
