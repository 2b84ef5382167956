import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built renderer, `out/renderer` in the CurveLab folder: the folder above `from` (default: this
 * module) whose package.json is CurveLab's. Walking up works from `src-main/server` under tsx and
 * vitest and from a bundled `out/main` alike. The folder may not exist yet (not built): the server
 * then says so on its front page.
 */
export function defaultRendererDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (isCurveLabRoot(dir)) return join(dir, 'out', 'renderer');
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no CurveLab package.json found above ${from}`);
    dir = parent;
  }
}

function isCurveLabRoot(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'curvelab';
  } catch {
    return false;
  }
}
