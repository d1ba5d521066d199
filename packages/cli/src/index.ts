/**
 * `@railyard/cli`: the `railyard` command line, and {@link defineConfig} for its
 * `railyard.config.ts`. See docs/cli.md.
 * @packageDocumentation
 */
export { defineConfig, type Lazy, type RailyardConfig } from './config/define-config.js';
