// The archive check worker's entry when running from TypeScript sources (node with tsx, vitest): a worker
// thread does not inherit its parent's TS loader, so tsx is registered before the worker is loaded.
// Builds start archiveCheckWorker.js, an entry of its own, instead.
import { register } from 'tsx/esm/api';

register();
await import('./archiveCheckWorker.ts');
