import type { FunctionId } from '../functions/testFunction';
import { createPlaneAdam } from './planeAdam';
import { createPlaneCurveBall } from './planeCurveBall';
import { createPlaneMomentum } from './planeMomentum';
import { createPlaneNewton } from './planeNewton';
import type { PlaneOptimizer } from './planeOptimizer';
import { createPlaneSgd } from './planeSgd';

export type OptimizerId = 'sgd' | 'momentum' | 'adam' | 'curveball' | 'newton';

export type SettingValues = Readonly<Record<string, number>>;

/** One editable number of an optimizer, with the range the UI accepts and a one-line explanation. */
export interface SettingSpec {
  readonly key: string;
  readonly label: string;
  readonly help: string;
  readonly min: number;
  readonly max: number;
  /** The input's step; 'any' for values that span decades (learning rates, λ). */
  readonly step: number | 'any';
  readonly integer?: boolean;
  /** The default, the same on every function or chosen per function. */
  readonly defaultValue: number | Readonly<Record<FunctionId, number>>;
}

export interface OptimizerEntry {
  readonly id: OptimizerId;
  readonly label: string;
  /** The trajectory colour: mid-tone, so it reads on light and dark backgrounds alike. */
  readonly color: string;
  /** Whether a fresh playground shows it. */
  readonly shownByDefault: boolean;
  readonly summary: string;
  readonly settings: readonly SettingSpec[];
  create(values: SettingValues): PlaneOptimizer;
}

/**
 * SGD's learning rates sit just below the stability limit 2/λ_max of each function's steepest direction
 * (quadratic: 2/κ = 0.04; Rosenbrock near its minimum: 2/1001.6 ≈ 0.002), which is where gradient descent
 * is as fast as it can be, and exactly where it zig-zags across the valley.
 */
const sgdLearningRate = { quadratic: 0.038, rosenbrock: 0.0019, noisyRosenbrock: 0.0019, beale: 0.02 } as const;

/**
 * CurveBall's initial damping. Small where gradients are exact; on the noisy Rosenbrock an undamped step
 * divides the noise by the valley's smallest curvature (≈ 0.4 near the minimum) and the run flies off, so
 * it starts at λ = 30: over 30 noise seeds (σ = 5, 200 steps) that gave the smallest median distance to the
 * minimum over the last 50 steps (0.5, against 1.9 for λ = 10 and 0.8 for λ = 100), and λ's own
 * adaptation (0.5% per 5 steps) is far too slow to get there from 1e-3 before the run has flown off.
 */
const curveballLambda = { quadratic: 1e-3, rosenbrock: 1e-3, noisyRosenbrock: 30, beale: 1e-3 } as const;

export const optimizerCatalog: readonly OptimizerEntry[] = [
  {
    id: 'sgd',
    label: 'SGD',
    color: '#e8590c',
    shownByDefault: true,
    summary: 'w ← w − lr·∇f',
    settings: [
      { key: 'learningRate', label: 'Learning rate', help: 'Step size; stable below 2 / (largest curvature).', min: 0, max: 10, step: 'any', defaultValue: sgdLearningRate },
    ],
    create: (v) => createPlaneSgd({ learningRate: v.learningRate }),
  },
  {
    id: 'momentum',
    label: 'Momentum',
    color: '#d6336c',
    shownByDefault: true,
    summary: 'heavy ball: v ← μv − lr·∇f, w ← w + v',
    settings: [
      {
        key: 'learningRate',
        label: 'Learning rate',
        help: 'Step size applied to each gradient.',
        min: 0,
        max: 10,
        step: 'any',
        defaultValue: { quadratic: 0.01, rosenbrock: 0.001, noisyRosenbrock: 0.001, beale: 0.003 },
      },
      { key: 'momentum', label: 'Momentum μ', help: 'Fraction of the last step carried into the next.', min: 0, max: 0.999, step: 0.01, defaultValue: 0.9 },
    ],
    create: (v) => createPlaneMomentum({ learningRate: v.learningRate, momentum: v.momentum }),
  },
  {
    id: 'adam',
    label: 'Adam',
    color: '#7950f2',
    shownByDefault: true,
    summary: 'per-coordinate steps scaled by running gradient moments',
    settings: [
      { key: 'learningRate', label: 'Learning rate', help: 'Largest step per coordinate, roughly.', min: 0, max: 10, step: 'any', defaultValue: 0.1 },
      { key: 'beta1', label: 'β₁', help: 'Decay of the running mean of gradients.', min: 0, max: 0.999, step: 0.01, defaultValue: 0.9 },
      { key: 'beta2', label: 'β₂', help: 'Decay of the running mean of squared gradients.', min: 0, max: 0.99999, step: 0.001, defaultValue: 0.999 },
      { key: 'epsilon', label: 'ε', help: 'Added to the denominator for stability.', min: 0, max: 1, step: 'any', defaultValue: 1e-8 },
    ],
    create: (v) => createPlaneAdam({ learningRate: v.learningRate, beta1: v.beta1, beta2: v.beta2, epsilon: v.epsilon }),
  },
  {
    id: 'curveball',
    label: 'CurveBall',
    color: '#2f9e44',
    shownByDefault: true,
    summary: 'exact Hessian here; β and ρ chosen each step; damping λ starts small (1e-3; 30 with noise)',
    settings: [
      {
        key: 'lambda',
        label: 'Damping λ',
        help:
          'Added to the curvature. Small (1e-3) by default, since the Hessian here is exact; 30 on the noisy ' +
          'Rosenbrock, where less damping lets the gradient noise through H⁻¹ (try 1e-3 there to see it).',
        min: 0,
        max: 1e6,
        step: 'any',
        defaultValue: curveballLambda,
      },
      {
        key: 'lambdaInterval',
        label: 'Adapt λ every',
        help: 'Steps between λ updates by the model-fit ratio; 0 keeps λ fixed.',
        min: 0,
        max: 1000,
        step: 1,
        integer: true,
        defaultValue: 5,
      },
    ],
    create: (v) => createPlaneCurveBall({ lambda: v.lambda, lambdaInterval: v.lambdaInterval }),
  },
  {
    id: 'newton',
    label: 'Newton',
    color: '#1c7ed6',
    shownByDefault: false,
    summary: 'reference: w ← w − H⁻¹∇f, undamped',
    settings: [],
    create: () => createPlaneNewton(),
  },
];

export function optimizerById(id: OptimizerId): OptimizerEntry {
  const entry = optimizerCatalog.find((candidate) => candidate.id === id);
  if (!entry) throw new Error(`unknown optimizer "${id}"`);
  return entry;
}

export function defaultSettings(entry: OptimizerEntry, functionId: FunctionId): Record<string, number> {
  const values: Record<string, number> = {};
  for (const spec of entry.settings) {
    values[spec.key] = typeof spec.defaultValue === 'number' ? spec.defaultValue : spec.defaultValue[functionId];
  }
  return values;
}

/**
 * Checks one edited value; returns null when it is acceptable, else a sentence naming the field and the
 * range it takes. The UI shows the sentence beside the input and keeps the last good value in use.
 */
export function settingProblem(entry: OptimizerEntry, spec: SettingSpec, value: number): string | null {
  const field = `${entry.label} ${spec.label.toLowerCase()}`;
  if (!Number.isFinite(value)) return `${field} must be a number from ${spec.min} to ${spec.max}.`;
  if (value < spec.min || value > spec.max) return `${field} must be from ${spec.min} to ${spec.max}; got ${value}.`;
  if (spec.integer && !Number.isInteger(value)) return `${field} must be a whole number; got ${value}.`;
  return null;
}
