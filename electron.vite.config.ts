import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src-main/electron/main.ts'),
          // Training, dataset loading and archive checks run in worker_threads, which load their own entry files (out/main/trainWorker.js, datasetWorker.js, archiveCheckWorker.js).
          trainWorker: resolve('src-main/lab/runner/trainWorker.ts'),
          datasetWorker: resolve('src-main/lab/datasets/datasetWorker.ts'),
          archiveCheckWorker: resolve('src-main/lab/archive/archiveCheckWorker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot be an ES module: build it as CommonJS.
      rollupOptions: {
        input: { index: resolve('src-main/preload/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    // The renderer shares the Lab API's types and its error class with the main process, and the pure
    // shared module (math both sides need) with the engine.
    resolve: { alias: { $api: resolve('src-main/lab/api'), $shared: resolve('src-main/shared') } },
    build: {
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  },
});
