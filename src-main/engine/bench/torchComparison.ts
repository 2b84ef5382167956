import type { BenchmarkResult } from './benchmarkCase';
import type { TorchStepTime } from './torchBench';

/** One CurveLab case beside its references (null where there is none). */
export interface ComparisonRow {
  result: BenchmarkResult;
  /** PyTorch's SGD step on the same model and batch (SGD rows only). */
  torchMsPerStep: number | null;
  /** CurveLab's SGD step over PyTorch's (the target: within 3× on a GPU). */
  overTorch: number | null;
  /** A CurveBall step over CurveLab's own SGD step on the same model, batch and backend (the target: within 2.5×). */
  overOwnSgd: number | null;
}

/** Joins CurveLab's results with PyTorch's SGD times: the same arch, batch size and input shape. */
export function compareWithTorch(results: BenchmarkResult[], torch: TorchStepTime[]): ComparisonRow[] {
  return results.map((result) => {
    const torchMsPerStep = result.optimizer === 'sgd' ? (torch.find((t) => sameModel(t, result))?.msPerStep ?? null) : null;
    const ownSgd = result.optimizer === 'curveball' ? results.find((s) => s.optimizer === 'sgd' && s.backend === result.backend && sameModel(s, result)) : undefined;
    return {
      result,
      torchMsPerStep,
      overTorch: torchMsPerStep !== null ? result.msPerStep / torchMsPerStep : null,
      overOwnSgd: ownSgd ? result.msPerStep / ownSgd.msPerStep : null,
    };
  });
}

function sameModel(a: Pick<BenchmarkResult, 'arch' | 'batchSize' | 'inputShape'>, b: Pick<BenchmarkResult, 'arch' | 'batchSize' | 'inputShape'>): boolean {
  return a.arch === b.arch && a.batchSize === b.batchSize && a.inputShape.join('x') === b.inputShape.join('x');
}
