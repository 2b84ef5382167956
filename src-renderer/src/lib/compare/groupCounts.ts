import type { CountChange } from './bandStatistics';
import { formatCompact } from './compactNumber';
import type { PanelModel } from './panelModels';

/**
 * The run count behind each group's line, for the legend: from the first panel that draws the group
 * (panels come in a fixed order, training loss first), so the count reads on the x-axis the user chose.
 */
export function entryRunCounts(panels: readonly PanelModel[]): Map<string, CountChange[]> {
  const out = new Map<string, CountChange[]>();
  for (const panel of panels)
    for (const d of panel.datasets) if (d.role === 'line' && d.counts && d.counts.length > 0 && !out.has(d.entryKey)) out.set(d.entryKey, d.counts);
  return out;
}

/** `n=3`, or where it changes: `n=3, 2 from step 150, 1 from step 300` (x in the axis's unit, lower-cased). */
export function runCountsText(changes: readonly CountChange[], xLabel: string): string {
  const [first, ...rest] = changes;
  if (!first) return '';
  const unit = xLabel.toLowerCase();
  return [`n=${first.count}`, ...rest.map((c) => `${c.count} from ${unit} ${formatCompact(c.x)}`)].join(', ');
}
