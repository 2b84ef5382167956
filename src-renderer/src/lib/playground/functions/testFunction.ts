import type { Symmetric2x2 } from '../math/symmetric2x2';
import type { Vec2 } from '../math/vec2';

export type FunctionId = 'quadratic' | 'rosenbrock' | 'noisyRosenbrock' | 'beale';

/** The part of the plane the contour plot shows (before it is widened to the canvas's aspect ratio). */
export interface ViewWindow {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/**
 * What an optimizer may ask about the function: the value, the gradient and the exact Hessian at w.
 * For the noisy function the gradient carries noise from a seeded stream owned by the oracle, so each
 * optimizer gets its own oracle and every replay of a trajectory sees the same noise.
 */
export interface Oracle {
  value(w: Vec2): number;
  gradient(w: Vec2): Vec2;
  hessian(w: Vec2): Symmetric2x2;
}

/** How the contour levels are spaced: evenly in f's logarithm, or so that a quadratic's ellipses are evenly spaced. */
export type LevelSpacing = 'log' | 'quadratic';

export interface TestFunction {
  readonly id: FunctionId;
  readonly label: string;
  /** One sentence for the UI: what the function is and what it shows. */
  readonly description: string;
  readonly start: Vec2;
  readonly view: ViewWindow;
  readonly minimum: Vec2;
  readonly minimumValue: number;
  readonly levelSpacing: LevelSpacing;
  /** The clean function: what the contour plot, the legend and CurveBall's λ rule see. */
  value(w: Vec2): number;
  gradient(w: Vec2): Vec2;
  hessian(w: Vec2): Symmetric2x2;
  /** A fresh oracle for one optimizer run. */
  createOracle(): Oracle;
}
