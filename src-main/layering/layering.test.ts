import { execFileSync } from 'node:child_process';
import { basename, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, readSource, resolveSpecifier } from './importScanner';
import { checkImport, partOf, type LayeringViolation } from './layerRules';

const root = resolve(import.meta.dirname, '../..');
const sources = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src-main', 'src-renderer', 'e2e'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|mts|svelte)$/.test(f) && statExists(f));

function statExists(file: string): boolean {
  try {
    readSource(root, file);
    return true;
  } catch {
    return false;
  }
}

function violationsOf(file: string, text: string): LayeringViolation[] {
  return importSpecifiers(file, text).flatMap((specifier) => {
    const target = resolveSpecifier(root, file, specifier);
    const violation = target && checkImport(file, target);
    return violation ? [violation] : [];
  });
}

describe('the layering', () => {
  it('holds in every source file: the engine imports no lab, server, Electron or CLI code, the renderer only the contract and the shared module', () => {
    const violations = sources.flatMap((file) => violationsOf(file, readSource(root, file)));
    expect(violations).toEqual([]);
  });

  it('flags an engine file that imports the lab, the CLI, the server, Electron or SQLite', () => {
    const file = 'src-main/engine/train/trainer.ts';
    const text = [
      "import { Lab } from '../../lab/lab';",
      "import type { TrainCommand } from '../../cli/parseTrainArgs';",
      "const server = await import('../../server/labServer');",
      "export { dispatch } from '../../lab/api/labDispatcher';",
      "import Database from 'better-sqlite3';",
      "import { app } from 'electron';",
      "import { tf } from '../tf';",
    ].join('\n');
    expect(violationsOf(file, text).map((v) => v.reason)).toEqual([
      'engine must not import from lab',
      'engine must not import from cli',
      'engine must not import from server',
      'engine must not import from lab',
      'engine must not import the package better-sqlite3',
      'engine must not import the package electron',
    ]);
  });

  it('flags a renderer file (script or component) that imports anything but the contract and the shared module', () => {
    const component = [
      '<script lang="ts">',
      "  import type { RunInfo } from '$api/labApi';",
      "  import { pseudoInverseSolve2x2 } from '$shared/pseudoInverse2x2';",
      "  import { createLabDispatch } from '$api/labDispatcher';",
      "  import { Model } from '../../../../src-main/engine/nn/model';",
      "  import { readFileSync } from 'node:fs';",
      '</script>',
      '<p>{1}</p>',
    ].join('\n');
    expect(violationsOf('src-renderer/src/lib/runs/RunRow.svelte', component).map((v) => v.reason)).toEqual([
      'renderer must not import from lab',
      'renderer must not import from engine',
      'renderer must not import the package node:fs',
    ]);
  });

  it('keeps the shared module pure: no package, nothing outside it', () => {
    const text = "import { tf } from '../engine/tf';\nimport * as core from '@tensorflow/tfjs-core';\nimport { runSpecLimits } from './runSpecLimits';";
    expect(violationsOf('src-main/shared/pseudoInverse2x2.ts', text).map((v) => v.reason)).toEqual([
      'shared must not import from engine',
      'shared must not import the package @tensorflow/tfjs-core',
    ]);
  });

  it('knows the contract files from the rest of the lab', () => {
    expect(partOf('src-main/lab/api/labApi.ts')).toBe('contract');
    expect(partOf('src-main/lab/api/labSchemas.ts')).toBe('lab');
    expect(partOf('src-main/preload/api.d.ts')).toBe('contract');
  });
});

describe('file names', () => {
  // One rule: modules are camelCase; Svelte components PascalCase; a native kernel file takes the name
  // of the TF.js kernel it registers (Conv2D.ts), as tfjs-backend-cpu's own kernels do; so does a WGSL one.
  const camelCase = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*\.(ts|mts|mjs|d\.ts|d\.mts)$/;
  const pascalCase = /^[A-Z][a-zA-Z0-9]*\.svelte$/;
  const kernelFile = /^src-main\/engine\/(native|webgpu)\/kernels\/[A-Z][a-zA-Z0-9]*\.ts$/;

  it('follow the one case rule', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src-main', 'src-renderer', 'e2e'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.(ts|mts|mjs|svelte)$/.test(f) && statExists(f));
    const offenders = files.filter((f) => !(kernelFile.test(f) || camelCase.test(basename(f)) || pascalCase.test(basename(f))));
    expect(offenders).toEqual([]);
  });
});
