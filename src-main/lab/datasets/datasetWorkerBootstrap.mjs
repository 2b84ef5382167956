// The worker_threads entry when the lab runs from TypeScript sources (node with tsx, vitest): a worker
// thread does not inherit the loader that compiles TS in its parent, so register tsx here first and then
// load the real worker. Builds make datasetWorker.ts an entry of its own and start that instead.
import { register } from 'tsx/esm/api';

register();
await import('./datasetWorker.ts');
