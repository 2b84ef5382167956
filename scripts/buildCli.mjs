// `npm install` and `npm run build` compile the command line ahead of its first call (compiledCli.mjs).
import { fileURLToPath } from 'node:url';
import { ensureCompiledCli } from './compiledCli.mjs';

await ensureCompiledCli(fileURLToPath(new URL('..', import.meta.url)), () => console.log('curvelab: compiling the command line…'));
