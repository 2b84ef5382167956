// The worker_threads entry when the lab runs from TypeScript sources (node with tsx, vitest): a worker
// thread does not inherit the loader that compiles TS in its parent (vitest's transform never reaches
// it), so register tsx here first and then load the real worker. The Electron bundle builds
// trainWorker.ts as its own entry and starts that instead (see trainWorkerUrl.ts).
import { register } from 'tsx/esm/api';

register();
await import('./trainWorker.ts');
