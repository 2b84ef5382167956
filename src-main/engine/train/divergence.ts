import { defaultDivergenceFactor, type RunSpec } from '../../shared/runSpec';

/**
 * The rule that ends a run as `diverged`: a batch loss that is not finite, or one above `factor` × the
 * first step's loss ('off': the first rule only; a first loss of 0 or less sets no bound). It watches
 * one run's batch losses in step order.
 */
export class DivergenceWatch {
  private readonly factor: number | 'off';
  /** The first step's loss, once seen (a checkpoint keeps it). */
  first: number | null = null;

  constructor(factor: RunSpec['divergenceFactor']) {
    this.factor = factor ?? defaultDivergenceFactor;
  }

  /** Why the run has diverged at this step's batch loss, in words; null while it has not. */
  check(step: number, loss: number): string | null {
    if (!Number.isFinite(loss)) return `the batch loss at step ${step} is ${loss}`;
    if (this.first === null) {
      this.first = loss;
      return null;
    }
    if (this.factor !== 'off' && this.first > 0 && loss > this.factor * this.first) {
      return `the batch loss ${lossText(loss)} at step ${step} exceeds ${this.factor} × the first step's ${lossText(this.first)}`;
    }
    return null;
  }
}

/** Three significant digits; powers of ten for the very large or small (1.80e+19). */
function lossText(loss: number): string {
  return loss !== 0 && (Math.abs(loss) >= 1e4 || Math.abs(loss) < 1e-3) ? loss.toExponential(2) : loss.toPrecision(3);
}
