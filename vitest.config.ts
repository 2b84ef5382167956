import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Compiles .svelte components and rune modules (*.svelte.ts) for the renderer's tests.
  plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  resolve: { alias: { $api: resolve('src-main/lab/api'), $shared: resolve('src-main/shared') } },
  test: {
    include: ['src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'e2e/**/*.test.ts', 'scripts/**/*.test.ts'],
    // TF.js on the plain CPU backend is slow; numeric tests get room.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
