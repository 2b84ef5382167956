#!/usr/bin/env node
// The `curvelab` command: runs the command line compiled to JavaScript (scripts/compiledCli.mjs), which
// `npm install` builds; when the sources have changed since, it is compiled again first (about a second).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureCompiledCli } from '../scripts/compiledCli.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
let compiled;
try {
  compiled = await ensureCompiledCli(root, () =>
    process.stderr.write('curvelab: compiling the command line first (it is not built yet, or its sources changed)…\n'),
  );
} catch (error) {
  process.stderr.write(`curvelab: the command line does not compile: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(compiled).href);
process.exitCode = await main(process.argv.slice(2));
