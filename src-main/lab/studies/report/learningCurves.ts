import { runStatusClass } from '../../../shared/runStatus';
import type { CurvePoint } from '../../api/labApi';
import { errorPercent } from './runResults';
import { mean } from './sampleStatistics';
import type { StudyCell } from './studyCells';
import type { StudyData, StudyRunData } from './studyData';

/** One optimizer's curve on one architecture: the mean over its completed seeds at the chosen lr. */
export interface CurveSeries {
  optimizer: string;
  lr: number | null;
  /** Completed runs averaged. */
  runs: number;
  /** x: the step; y: the mean. */
  points: { x: number; y: number }[];
}

export interface ArchitectureCurves {
  architecture: string;
  /** Per-step training (batch) loss on a common step grid. */
  trainLoss: CurveSeries[];
  /** Validation error % (classification) or loss (regression) at each epoch end, against the steps taken then. */
  validation: CurveSeries[];
}

/** Points of the common step grid the training-loss curves are averaged on. */
export const defaultCurveGridSize = 100;

/**
 * The learning curves of each architecture. Training loss: every optimizer's completed runs are
 * interpolated linearly onto one grid of evenly spaced steps spanning all of the architecture's curves,
 * and averaged where every run of that optimizer covers the grid step (no extrapolation). Validation:
 * the mean over the runs at each epoch index that every run has.
 */
export function learningCurves(data: StudyData, cells: StudyCell[][], gridSize = defaultCurveGridSize): ArchitectureCurves[] {
  return cells.map((row) => {
    const completed = row.map((cell) => cell.chosen.runs.filter((r) => runStatusClass(r.status) === 'completed'));
    const curves = completed.flat().map((r) => r.lossCurve).filter((c) => c.length > 0);
    const lo = Math.min(...curves.map((c) => c[0]!.step));
    const hi = Math.max(...curves.map((c) => c.at(-1)!.step));
    const grid = curves.length === 0 ? [] : stepGrid(lo, hi, gridSize);
    return {
      architecture: row[0]!.architecture,
      trainLoss: row.map((cell, o) => series(cell, completed[o]!, meanOnGrid(completed[o]!, grid))),
      validation: row.map((cell, o) => series(cell, completed[o]!, meanValidation(completed[o]!, data.task))),
    };
  });
}

function series(cell: StudyCell, runs: StudyRunData[], points: CurveSeries['points']): CurveSeries {
  return { optimizer: cell.optimizer, lr: cell.chosen.lr, runs: runs.length, points };
}

/** `size` evenly spaced steps from lo to hi, or every integer step when there are fewer. */
function stepGrid(lo: number, hi: number, size: number): number[] {
  if (hi - lo + 1 <= size) return Array.from({ length: Math.floor(hi - lo) + 1 }, (_, i) => lo + i);
  return Array.from({ length: size }, (_, i) => lo + ((hi - lo) * i) / (size - 1));
}

function meanOnGrid(runs: StudyRunData[], grid: number[]): CurveSeries['points'] {
  if (runs.length === 0) return [];
  return grid.flatMap((x) => {
    const values = runs.map((r) => interpolate(r.lossCurve, x));
    return values.every((v) => v !== null && Number.isFinite(v)) ? [{ x, y: mean(values as number[]) }] : [];
  });
}

/** The curve's value at step x, linear between its points; null outside them. */
function interpolate(curve: CurvePoint[], x: number): number | null {
  if (curve.length === 0 || x < curve[0]!.step || x > curve.at(-1)!.step) return null;
  let i = 0;
  while (curve[i + 1] !== undefined && curve[i + 1]!.step < x) i++;
  const a = curve[i]!;
  const b = curve[i + 1];
  if (b === undefined || a.step === x) return a.value;
  return a.value + ((b.value - a.value) * (x - a.step)) / (b.step - a.step);
}

function meanValidation(runs: StudyRunData[], task: StudyData['task']): CurveSeries['points'] {
  if (runs.length === 0) return [];
  const epochs = Math.min(...runs.map((r) => r.epochs.length));
  return Array.from({ length: epochs }, (_, e) => {
    const points = runs.map((r) => r.epochs[e]!);
    const values = points.map((p) => (task === 'classification' ? errorPercent(p.valAccuracy) : p.valLoss));
    return values.every((v) => v !== null) ? [{ x: mean(points.map((p) => p.steps)), y: mean(values as number[]) }] : [];
  }).flat();
}
