import { buildCsv } from './csvTable';
import type { PanelModel } from './panelModels';
import type { XAxisKind } from './xAxis';

/**
 * The compare chart's data as CSV, exactly as plotted: the x column (named after the x-axis kind:
 * step, epoch, seconds or passes), then one column per drawn dataset of every panel, headed
 * `<panel id>: <curve label>`; a smoothed curve's header says so and with which weight, its faint raw
 * curve is a column of its own, and a group's band gives a min and a max column.
 */
export function compareCsv(panels: readonly PanelModel[], xAxis: XAxisKind, smoothing: number): string {
  const columns = panels.flatMap((panel) =>
    panel.datasets.map((d) => ({
      header: `${panel.id}: ${d.label}${d.role === 'line' && panel.smoothed ? ` (smoothed ${smoothing})` : ''}`,
      points: d.points,
    })),
  );
  return buildCsv(xAxis, columns);
}
