import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSpec } from '../../shared/runSpec';
import type { StepEvent } from '../../engine/train/trainEvents';
import { openStore } from './openStore';

export interface StoreBenchmark {
  runs: number;
  stepsPerRun: number;
  /** Step rows plus trace rows (3 traces a step, as CurveBall records) written per second through the recorder. */
  rowsPerSecond: number;
  /** Reading every run's loss curve downsampled to `points` points. */
  readSeconds: number;
  points: number;
}

const spec: RunSpec = {
  dataset: 'synthetic',
  arch: 'mlp',
  archOptions: {},
  optimizer: 'curveball',
  optimizerOptions: {},
  steps: 1,
  batchSize: 64,
  shuffle: true,
  init: 'default',
  seed: 0,
};

/**
 * The store's speed on a file database in a temporary folder: metric rows written per second through
 * the run recorder, and the time to read `runs` loss curves of `stepsPerRun` steps downsampled to
 * `points` points each (the compare view's query).
 */
export function benchmarkStore(runs = 50, stepsPerRun = 20_000, points = 1000): StoreBenchmark {
  const dir = mkdtempSync(join(tmpdir(), 'curvelab-store-bench-'));
  const store = openStore(join(dir, 'bench.db'));
  try {
    const experiment = store.createExperiment({ name: 'store benchmark' });
    let rows = 0;
    let writeSeconds = 0;
    const runIds: number[] = [];
    for (let r = 0; r < runs; r++) {
      const runId = store.createRun(experiment.id, spec).id;
      runIds.push(runId);
      const recorder = store.recordRun(runId, { flushIntervalMs: 60_000 });
      const start = performance.now();
      for (let step = 0; step < stepsPerRun; step++) {
        recorder.record(stepEvent(step, r));
      }
      recorder.close();
      writeSeconds += (performance.now() - start) / 1000;
      rows += stepsPerRun * 4;
    }
    const start = performance.now();
    for (const runId of runIds) store.readCurve(runId, { series: 'loss', maxPoints: points });
    const readSeconds = (performance.now() - start) / 1000;
    return { runs, stepsPerRun, rowsPerSecond: rows / writeSeconds, readSeconds, points };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function stepEvent(step: number, run: number): StepEvent {
  const loss = 2 * Math.exp(-step / 5000) + 0.01 * Math.sin(step + run);
  return {
    type: 'step',
    step,
    epoch: Math.floor(step / 125),
    loss,
    accuracy: 1 - loss / 2,
    seconds: step * 0.01,
    forwardPasses: step + 1,
    backwardPasses: step + 1,
    forwardModePasses: 2 * (step + 1),
    trace: { rho: 0.9, beta: 0.01, lambda: 1 },
  };
}
