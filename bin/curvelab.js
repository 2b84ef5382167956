#!/usr/bin/env node
// The `curvelab` command: runs the TypeScript CLI through tsx, so no build step stands between
// `npm install` and `npx curvelab`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
