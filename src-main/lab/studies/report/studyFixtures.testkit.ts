import type { CurvePoint, EpochPoint } from '../../api/labApi';
import type { StudySpec } from '../../../shared/studySpec';
import { paperSeedTable } from './paperSeedTable';
import type { StudyData, StudyRunData } from './studyData';

/** A per-step loss curve as readCurves returns it undownsampled: one point per step, `passes` and `seconds` per step. */
export function lossCurve(losses: number[], perStep: { passes: number; seconds: number } = { passes: 2, seconds: 0.25 }, stepsPerEpoch = 2): CurvePoint[] {
  return losses.map((value, step) => ({
    step,
    epoch: Math.floor(step / stepsPerEpoch) + (step % stepsPerEpoch) / stepsPerEpoch,
    seconds: (step + 1) * perStep.seconds,
    passes: (step + 1) * perStep.passes,
    value,
    min: value,
    max: value,
    count: 1,
  }));
}

/** Epoch ends every `stepsPerEpoch` steps with the given validation accuracies. */
export function epochPoints(valAccuracies: number[], perStep: { passes: number; seconds: number } = { passes: 2, seconds: 0.25 }, stepsPerEpoch = 2): EpochPoint[] {
  return valAccuracies.map((valAccuracy, epoch) => {
    const steps = (epoch + 1) * stepsPerEpoch;
    return { epoch, steps, seconds: steps * perStep.seconds, passes: steps * perStep.passes, trainLoss: null, trainAccuracy: null, valLoss: null, valAccuracy };
  });
}

type RunFields = Pick<StudyRunData, 'runId' | 'architecture' | 'optimizer' | 'seed'> & Partial<StudyRunData>;

/** A completed run with no numbers unless given. */
export function studyRun(fields: RunFields): StudyRunData {
  return {
    lr: null,
    status: 'completed',
    error: null,
    final: { trainLoss: null, trainAccuracy: null, valLoss: null, valAccuracy: null },
    lossCurve: [],
    epochs: [],
    ...fields,
  };
}

/** A completed classification run with its final train and validation accuracy (and train loss). */
export function accuracyRun(fields: RunFields, trainAccuracy: number, valAccuracy: number, trainLoss: number | null = null): StudyRunData {
  return studyRun({ ...fields, final: { trainLoss, trainAccuracy, valLoss: null, valAccuracy } });
}

export function studyData(spec: Partial<StudySpec>, architectures: StudyData['architectures'], optimizers: string[], runs: StudyRunData[]): StudyData {
  return {
    name: spec.name ?? 'fixture',
    spec: { dataset: 'mnist', architectures: [], optimizers: [], seeds: [1, 2], budget: { epochs: 2 }, batchSize: 32, ...spec },
    task: 'classification',
    architectures,
    optimizers,
    runs,
  };
}

const cb = { passes: 4, seconds: 0.5 };
const sgd = { passes: 2, seconds: 0.25 };

/**
 * A small study whose every reported number is worked out by hand in the tests: Basic and one random
 * architecture × CurveBall and SGD (a one-value lr grid) × seeds 1 and 2, two epochs of two steps, one
 * target (training loss ≤ 1, read with a window of 2 steps), the paper's numbers attached; SGD diverges
 * on the random architecture with seed 2. Errors are multiples of 6.25 % so they are exact in binary.
 */
export function tinyStudy(): StudyData {
  const run = (runId: number, architecture: string, optimizer: 'CurveBall' | 'SGD', seed: number, losses: number[], trainAccuracy: number, valAccuracy: number, trainLoss: number, valAccuracies: number[]) => {
    const perStep = optimizer === 'CurveBall' ? cb : sgd;
    const final = { trainLoss, trainAccuracy, valLoss: null, valAccuracy };
    return studyRun({ runId, architecture, optimizer, lr: optimizer === 'SGD' ? 0.1 : null, seed, final, lossCurve: lossCurve(losses, perStep), epochs: epochPoints(valAccuracies, perStep) });
  };
  const diverged: StudyRunData = {
    ...studyRun({ runId: 8, architecture: 'random 1', optimizer: 'SGD', lr: 0.1, seed: 2, lossCurve: lossCurve([2, 50], sgd) }),
    status: 'diverged',
    error: 'the batch loss at step 2 is NaN',
  };
  return {
    ...studyData(
      {
        name: 'tiny',
        architectures: [{ label: 'Basic', preset: 'basic' }, { random: { count: 1, seed: 7 } }],
        optimizers: [{ label: 'CurveBall', name: 'curveball' }, { label: 'SGD', name: 'sgd', lrGrid: [0.1] }],
        targets: [{ metric: 'trainLoss', value: 1 }],
      },
      [
        { label: 'Basic', random: false },
        { label: 'random 1', random: true },
      ],
      ['CurveBall', 'SGD'],
      [
        run(1, 'Basic', 'CurveBall', 1, [2, 1.5, 0.5, 0.4], 0.875, 0.75, 0.4, [0.5, 0.75]),
        run(2, 'Basic', 'CurveBall', 2, [2, 1.2, 0.9, 0.6], 0.9375, 0.8125, 0.3, [0.625, 0.8125]),
        run(3, 'Basic', 'SGD', 1, [2, 1.8, 1.6, 1.4], 0.75, 0.6875, 1.3, [0.5, 0.6875]),
        run(4, 'Basic', 'SGD', 2, [2, 1.0, 0.8, 0.7], 0.8125, 0.8125, 0.7, [0.75, 0.8125]),
        run(5, 'random 1', 'CurveBall', 1, [2, 1.0, 0.6, 0.5], 0.875, 0.75, 0.5, [0.5, 0.75]),
        run(6, 'random 1', 'CurveBall', 2, [2, 1.5, 1.5, 1.5], 0.75, 0.6875, 0.9, [0.5, 0.6875]),
        run(7, 'random 1', 'SGD', 1, [2, 0.8, 0.6, 0.5], 0.875, 0.75, 0.5, [0.625, 0.75]),
        diverged,
      ],
    ),
    reference: paperSeedTable,
  };
}

/**
 * A study that looks like a real one, for rendering checks (its numbers are not checked): the paper's
 * four architectures' first two plus two random ones × its four optimizers (Adam with an lr grid) × 3
 * seeds, 300 steps in 3 epochs with smooth noisy curves, two targets; one run diverges, one fails.
 */
export function syntheticStudy(): StudyData {
  let state = 12345;
  const noise = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2;
  const architectures = [
    { label: 'Basic', random: false },
    { label: 'Basic + BN', random: false },
    { label: 'random 1', random: true },
    { label: 'random 2', random: true },
  ];
  const optimizers = [
    { label: 'CurveBall-λ', speed: 60, floor: 0.08, passes: 4, seconds: 0.03 },
    { label: 'CurveBall', speed: 70, floor: 0.1, passes: 4, seconds: 0.03 },
    { label: 'SGD', speed: 120, floor: 0.2, passes: 2, seconds: 0.012 },
    { label: 'Adam', speed: 90, floor: 0.12, passes: 2, seconds: 0.014 },
  ];
  const runs: StudyRunData[] = [];
  architectures.forEach((arch, a) => {
    for (const o of optimizers) {
      for (const lr of o.label === 'Adam' ? [0.001, 0.01] : [null]) {
        for (const seed of [1, 2, 3]) {
          const speed = o.speed * (1 + 0.3 * a) * (lr === 0.01 ? 1.4 : 1);
          const losses = Array.from({ length: 300 }, (_, t) => (o.floor + (2.3 - o.floor) * Math.exp(-t / speed)) * (1 + 0.15 * noise()));
          const valAccuracies = [100, 200, 300].map((t) => 1 - (o.floor + 0.5 * Math.exp(-t / speed)) * (1.2 + 0.05 * noise()) * 0.5);
          const perStep = { passes: o.passes, seconds: o.seconds };
          const trainAccuracy = 1 - o.floor * (1 + 0.1 * noise()) * 0.6;
          runs.push(
            studyRun({
              runId: runs.length + 1,
              architecture: arch.label,
              optimizer: o.label,
              lr,
              seed,
              final: { trainLoss: losses.at(-1)!, trainAccuracy, valLoss: null, valAccuracy: valAccuracies.at(-1)! },
              lossCurve: lossCurve(losses, perStep, 100),
              epochs: epochPoints(valAccuracies, perStep, 100),
            }),
          );
        }
      }
    }
  });
  const sgdRandom = runs.find((r) => r.architecture === 'random 2' && r.optimizer === 'SGD' && r.seed === 2)!;
  Object.assign(sgdRandom, { status: 'diverged', error: 'the batch loss at step 41 is 3.2e+19, over 1000 × the first step’s', final: { trainLoss: null, trainAccuracy: null, valLoss: null, valAccuracy: null } });
  sgdRandom.lossCurve = sgdRandom.lossCurve.slice(0, 41);
  sgdRandom.epochs = [];
  const adamFailed = runs.find((r) => r.architecture === 'random 1' && r.optimizer === 'Adam' && r.lr === 0.01 && r.seed === 3)!;
  Object.assign(adamFailed, { status: 'failed', error: 'the worker ran out of memory', final: { trainLoss: null, trainAccuracy: null, valLoss: null, valAccuracy: null } });
  return {
    ...studyData(
      {
        name: 'Seed table (synthetic)',
        dataset: 'mnist',
        architectures: [{ label: 'Basic', preset: 'basic' }, { label: 'Basic + BN', preset: 'basic', options: { batchNorm: 'true' } }, { random: { count: 2, seed: 7 } }],
        optimizers: [
          { label: 'CurveBall-λ', name: 'curveball' },
          { label: 'CurveBall', name: 'curveball', options: { autoLambda: false } },
          { label: 'SGD', name: 'sgd', options: { lr: 0.01, momentum: 0.9 } },
          { label: 'Adam', name: 'adam', lrGrid: [0.001, 0.01] },
        ],
        seeds: [1, 2, 3],
        budget: { epochs: 3 },
        batchSize: 64,
        targets: [
          { metric: 'trainLoss', value: 0.5 },
          { metric: 'valAccuracy', value: 0.9 },
        ],
      },
      architectures,
      optimizers.map((o) => o.label),
      runs,
    ),
    reference: paperSeedTable,
  };
}
