import type { XAxisKind } from './xAxis';

export type ExportExtension = 'png' | 'csv' | 'svg' | 'pdf';

/**
 * A download's file name that says what it holds: `curvelab-runs-3-4-7-by-passes-loss.png`, with the
 * grouping and a PNG's scale when they apply (`curvelab-runs-3-4-by-step-loss-per-optimizer-2x.png`).
 * Long selections are summarised (`curvelab-12-runs-…`) to keep the name short; `part` (a panel id) and
 * the grouping are reduced to letters, digits, `-` and `_` so the name is safe on every file system.
 */
export function exportFileName(
  runIds: readonly number[],
  xAxis: XAxisKind,
  part: string | null,
  extension: ExportExtension,
  options: { groupBy?: string; scale?: number } = {},
): string {
  const runs = runIds.length <= 6 ? `runs-${[...runIds].sort((a, b) => a - b).join('-')}` : `${runIds.length}-runs`;
  const safePart = part === null ? '' : `-${safe(part)}`;
  const group = options.groupBy === undefined || options.groupBy === 'none' ? '' : `-per-${safe(options.groupBy)}`;
  const scale = options.scale === undefined || options.scale === 1 ? '' : `-${options.scale}x`;
  return `curvelab-${runs}-by-${xAxis}${safePart}${group}${scale}.${extension}`;
}

function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '_');
}
