/** The publication exports of one Compare panel, drawn from its data (panelFigure) on a light page. */
import { downloadText, downloadUrl } from './download';
import { exportFileName } from './exportFileName';
import { figurePdf } from './figurePdf';
import { figureSvg } from './figureSvg';
import { panelFigure, type FigureOptions } from './panelFigure';
import { svgPng } from './panelImage';
import type { PanelModel } from './panelModels';

export type PanelExportFormat = 'png-2x' | 'png-3x' | 'svg' | 'pdf';

export const panelExportFormats: readonly { format: PanelExportFormat; label: string }[] = [
  { format: 'png-2x', label: 'PNG 2×' },
  { format: 'png-3x', label: 'PNG 3×' },
  { format: 'svg', label: 'SVG' },
  { format: 'pdf', label: 'PDF' },
];

/** Saves the panel in that format, named after its runs, x-axis, series and grouping (exportFileName). */
export async function exportPanel(
  panel: PanelModel,
  format: PanelExportFormat,
  view: FigureOptions & { runIds: readonly number[]; groupBy: string },
): Promise<void> {
  const figure = panelFigure(panel, view);
  const svg = figureSvg(figure);
  const name = (extension: 'png' | 'svg' | 'pdf', scale?: number): string =>
    exportFileName(view.runIds, view.xAxis, panel.id, extension, { groupBy: view.groupBy, ...(scale === undefined ? {} : { scale }) });
  if (format === 'svg') downloadText(svg, name('svg'), 'image/svg+xml');
  else if (format === 'pdf') downloadText(figurePdf(figure), name('pdf'), 'application/pdf');
  else {
    const scale = format === 'png-2x' ? 2 : 3;
    downloadUrl(await svgPng(svg, figure.width, figure.height, scale), name('png', scale));
  }
}
