import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

/** Import specifiers of a .ts or .svelte source (static, dynamic, `export … from`, `import type`). */
export function importSpecifiers(fileName: string, text: string): string[] {
  const code = fileName.endsWith('.svelte') ? svelteScripts(text) : text;
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

function svelteScripts(text: string): string {
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** The aliases the renderer's build and tests resolve (electron.vite.config.ts, vitest.config.ts). */
const aliases: Record<string, string> = { $api: 'src-main/lab/api', $shared: 'src-main/shared' };

const extensions = ['', '.ts', '.d.ts', '.svelte.ts', '.mts', '.mjs', '.js', '/index.ts'];

/**
 * Where a specifier in `file` (a repository path) points: a repository path for relative and aliased
 * specifiers (null when nothing there exists), else the package's name.
 */
export function resolveSpecifier(root: string, file: string, specifier: string): { path: string } | { packageName: string } | null {
  const alias = Object.keys(aliases).find((a) => specifier === a || specifier.startsWith(`${a}/`));
  let base: string;
  if (alias) base = join(aliases[alias], specifier.slice(alias.length));
  else if (specifier.startsWith('.')) base = join(dirname(file), specifier);
  else return { packageName: packageNameOf(specifier) };
  for (const ext of extensions) {
    const path = relative(root, join(root, base + ext));
    if (statSync(join(root, path), { throwIfNoEntry: false })?.isFile()) return { path };
  }
  return null;
}

function packageNameOf(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export function readSource(root: string, file: string): string {
  return readFileSync(join(root, file), 'utf8');
}
