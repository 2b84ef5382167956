import { describe, expect, it } from 'vitest';
import type { BenchmarkResult } from './benchmarkCase';
import type { TorchStepTime } from './torchBench';
import { compareWithTorch } from './torchComparison';

function result(arch: string, optimizer: string, backend: string, msPerStep: number, batchSize = 128, inputShape = [32, 32, 3]): BenchmarkResult {
  return { arch, optimizer, batchSize, inputShape, backend, msPerStep, timedSteps: 5, flopsPerStep: 1, gflops: 1, gpuWorkPerStep: null };
}

function torch(arch: string, msPerStep: number, batchSize = 128, inputShape = [32, 32, 3]): TorchStepTime {
  return { arch, batchSize, inputShape, device: 'cuda', deviceName: 'GPU', torch: '2.5.0', parameters: 1, msPerStep, timedSteps: 5 };
}

describe('compareWithTorch', () => {
  it("puts PyTorch's SGD step beside SGD rows and CurveLab's own SGD step beside CurveBall rows", () => {
    const rows = compareWithTorch(
      [
        result('basic-cnn-bn', 'sgd', 'webgpu', 12),
        result('basic-cnn-bn', 'curveball', 'webgpu', 27),
        result('basic-cnn-bn', 'sgd', 'cpu-blas', 150),
        result('basic-cnn-bn', 'curveball', 'cpu-blas', 300),
        result('resnet18', 'sgd', 'webgpu', 90),
        result('resnet18', 'curveball', 'webgpu', 200),
      ],
      [torch('basic-cnn-bn', 4), torch('resnet18', 25)],
    );
    expect(rows.map((r) => [r.torchMsPerStep, r.overTorch, r.overOwnSgd])).toEqual([
      [4, 3, null], // 12 / 4
      [null, null, 2.25], // 27 / 12 (webgpu's SGD, not cpu-blas's)
      [4, 37.5, null], // 150 / 4
      [null, null, 2], // 300 / 150
      [25, 3.6, null], // 90 / 25
      [null, null, 200 / 90],
    ]);
  });

  it('leaves the references out (null) where none matches: another batch or input, no SGD row, another optimizer', () => {
    const rows = compareWithTorch(
      [result('mlp', 'sgd', 'webgpu', 10, 64), result('small-cnn', 'sgd', 'webgpu', 10, 64, [28, 28, 1]), result('small-cnn', 'curveball', 'cpu', 30, 64, [28, 28, 1]), result('mlp', 'adam', 'webgpu', 12, 64)],
      [torch('mlp', 2, 128), torch('small-cnn', 5, 64, [32, 32, 3])],
    );
    expect(rows.map((r) => [r.torchMsPerStep, r.overTorch, r.overOwnSgd])).toEqual([
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
    ]);
  });
});
