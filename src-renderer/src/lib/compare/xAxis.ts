import type { CurvePoint, EpochPoint } from '$api/labApi';
import { formatCompact } from './compactNumber';

/**
 * What the shared x-axis measures. `passes` counts forward + backward + forward-mode passes, so a
 * second-order method (CurveBall's two JVPs per step, Hessian-free's CG iterations) is charged for the
 * extra work it does per step, and curves compare at equal compute rather than at equal step count.
 */
export type XAxisKind = 'step' | 'epoch' | 'seconds' | 'passes';

export const xAxisKinds: readonly { kind: XAxisKind; label: string }[] = [
  { kind: 'step', label: 'Step' },
  { kind: 'epoch', label: 'Epoch' },
  { kind: 'seconds', label: 'Wall time (s)' },
  { kind: 'passes', label: 'Passes (fwd + bwd + fwd-mode)' },
];

export function isXAxisKind(value: string): value is XAxisKind {
  return xAxisKinds.some((k) => k.kind === value);
}

export function xAxisLabel(kind: XAxisKind): string {
  return xAxisKinds.find((k) => k.kind === kind)?.label ?? kind;
}

/** The x value of a per-step point (a bucket of steps: its means, as the lab computes them). */
export function curvePointX(point: CurvePoint, kind: XAxisKind): number {
  switch (kind) {
    case 'step':
      return point.step;
    case 'epoch':
      return point.epoch;
    case 'seconds':
      return point.seconds;
    case 'passes':
      return point.passes;
  }
}

/**
 * The x value of an epoch's validation point. It is measured after the epoch's last update, so on the
 * step axis it sits at `steps` (updates taken, one past the last 0-based step index) and on the epoch
 * axis at the end of the epoch, index + 1 (epoch 0 ends at 1.0, where the fractional epochs of its steps
 * run up to just below 1).
 */
export function epochPointX(point: EpochPoint, kind: XAxisKind): number {
  switch (kind) {
    case 'step':
      return point.steps;
    case 'epoch':
      return point.epoch + 1;
    case 'seconds':
      return point.seconds;
    case 'passes':
      return point.passes;
  }
}

/** An x value as the tooltip shows it. */
export function formatXValue(value: number, kind: XAxisKind): string {
  const text = formatCompact(value);
  return kind === 'seconds' ? `${text} s` : text;
}
