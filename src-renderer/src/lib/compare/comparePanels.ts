import type { RunSeriesNames } from '$api/labApi';

/** Where a panel's points come from: a per-step series (`readCurves(...).series`) or a per-epoch field. */
export type PanelSource = { kind: 'step'; series: string } | { kind: 'epoch'; field: 'valLoss' | 'valAccuracy' };

export interface PanelSpec {
  /** Stable id and the `data-series` attribute: `loss`, `accuracy`, `val_loss`, `val_accuracy` or a trace name. */
  id: string;
  title: string;
  source: PanelSource;
}

/** Readable titles for the traces the engine's optimizers report; any other trace is titled by its name. */
const traceTitles: Record<string, string> = {
  lr: 'Learning rate (lr)',
  momentum: 'Momentum',
  rho: 'ρ: CurveBall momentum (rho)',
  beta: 'β: CurveBall step size (beta)',
  lambda: 'λ: damping (lambda)',
  ratio: 'Model-fit ratio (ratio)',
  cgIterations: 'CG iterations (Hessian-free)',
  residual: 'CG relative residual',
  beta1: 'Adam β1 (beta1)',
  beta2: 'Adam β2 (beta2)',
  alpha: 'RMSprop α (alpha)',
};
const traceOrder = Object.keys(traceTitles);

export function traceTitle(name: string): string {
  return traceTitles[name] ?? name;
}

/**
 * The panels for a selection, top to bottom: training loss, training accuracy (when any run is a
 * classification run, i.e. has an `accuracy` series), validation loss, validation accuracy (same
 * condition), then one panel per optimizer trace any run reports, known traces first in a fixed order
 * (so CurveBall's ρ, β, λ stay together), unknown ones alphabetically.
 *
 * Training and validation loss are always there, empty until the first points arrive, so the layout
 * does not jump when a queued run starts.
 */
export function panelSpecs(seriesNames: readonly RunSeriesNames[]): PanelSpec[] {
  const hasAccuracy = seriesNames.some((s) => s.metrics.includes('accuracy'));
  const traces = new Set<string>();
  for (const s of seriesNames) for (const t of s.traces) traces.add(t);
  const orderedTraces = [...traces].sort((a, b) => traceRank(a) - traceRank(b) || a.localeCompare(b));

  const panels: PanelSpec[] = [{ id: 'loss', title: 'Training loss', source: { kind: 'step', series: 'loss' } }];
  if (hasAccuracy) panels.push({ id: 'accuracy', title: 'Training accuracy', source: { kind: 'step', series: 'accuracy' } });
  panels.push({ id: 'val_loss', title: 'Validation loss (per epoch)', source: { kind: 'epoch', field: 'valLoss' } });
  if (hasAccuracy) panels.push({ id: 'val_accuracy', title: 'Validation accuracy (per epoch)', source: { kind: 'epoch', field: 'valAccuracy' } });
  for (const t of orderedTraces) panels.push({ id: t, title: traceTitle(t), source: { kind: 'step', series: t } });
  return panels;
}

function traceRank(name: string): number {
  const i = traceOrder.indexOf(name);
  return i === -1 ? traceOrder.length : i;
}
