import type { XAxisKind } from './xAxis';

/**
 * A download's file name that says what it holds: `curvelab-runs-3-4-7-by-passes-loss.png`. Long
 * selections are summarised (`curvelab-12-runs-…`) to keep the name short; `part` (a panel id) is
 * reduced to letters, digits, `-` and `_` so it is safe on every file system.
 */
export function exportFileName(runIds: readonly number[], xAxis: XAxisKind, part: string | null, extension: 'png' | 'csv'): string {
  const runs = runIds.length <= 6 ? `runs-${[...runIds].sort((a, b) => a - b).join('-')}` : `${runIds.length}-runs`;
  const safePart = part === null ? '' : `-${part.replace(/[^A-Za-z0-9_-]+/g, '_')}`;
  return `curvelab-${runs}-by-${xAxis}${safePart}.${extension}`;
}
