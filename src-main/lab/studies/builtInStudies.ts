import type { StudyArchitecture, StudyBudget, StudyOptimizer, StudySpec } from '../../shared/studySpec';
import type { BuiltInStudyInfo, BuiltInStudyName, StudyRequest, StudyScale } from '../api/labApi';

export type BuiltInStudyRequest = Extract<StudyRequest, { builtIn: BuiltInStudyName }>;

/** How big a built-in study's runs are at one scale. */
interface Scale {
  description: string;
  /** Examples trained and validated on (at most the dataset's splits); absent: all. */
  trainSize?: number;
  valSize?: number;
  batchSize: number;
  epochs: number;
  seeds: number[];
  /** The `width` option of resnet18 and vgg-f (64 is the papers'). */
  width: number;
  /** The seed table's networks trained longer or shorter than `epochs`, as the reference code trains them. */
  ownEpochs: Partial<Record<SeedTableArchitecture, number>>;
}

type SeedTableArchitecture = 'Basic' | 'Basic + BN' | 'ResNet-18' | 'VGG-f';

/**
 * The scales, the same for both built-ins. `tiny` is sized to finish here (two CPU cores) in minutes
 * with margin: a subset, batches of 32, three epochs, narrow ResNet and VGG. `paper` follows the
 * reference code (jotaf98/curveball): batches of 128, full width, and each standard network's own
 * number of epochs: BasicCifarNet 100 without batch norm and 40 with it, the CIFAR ResNet-18 120 (its lr
 * schedule's length), VGG-f with batch norm 20; random networks (small CNNs like Basic) 40.
 */
const scales: Record<StudyScale, Scale> = {
  tiny: {
    description: 'minutes on a laptop CPU: 2,000 training and 1,000 validation examples, batch 32, 3 epochs, ResNet-18 and VGG-f at width 8, one seed',
    trainSize: 2000,
    valSize: 1000,
    batchSize: 32,
    epochs: 3,
    seeds: [1],
    width: 8,
    ownEpochs: {},
  },
  small: {
    description: 'an hour or so on a laptop CPU: up to 10,000 training examples, batch 128, 5 epochs, ResNet-18 and VGG-f at width 16, two seeds',
    trainSize: 10_000,
    batchSize: 128,
    epochs: 5,
    seeds: [1, 2],
    width: 16,
    ownEpochs: {},
  },
  paper: {
    description:
      "as the paper ran it: the whole dataset, batch 128, full width (64), the reference code's epochs (Basic 100, Basic + BN 40, ResNet-18 120, VGG-f 20, random networks 40), one seed: days on a CPU",
    batchSize: 128,
    epochs: 40,
    seeds: [1],
    width: 64,
    ownEpochs: { Basic: 100, 'ResNet-18': 120, 'VGG-f': 20 },
  },
};

/**
 * The paper's optimizers with the same hyper-parameters everywhere: CurveBall with its automatic λ
 * (CurveBall-λ, as the reference code runs it by default) and with λ fixed at 1 (CurveBall), SGD with
 * momentum 0.9, Adam; the first-order learning rates are the optimizers' defaults, written out so the
 * stored spec says what ran. The labels are the ones the paper's table (paperSeedTable) uses.
 */
const curveballAdaptive: StudyOptimizer = { label: 'CurveBall-λ', name: 'curveball', options: { lambda: 1 } };
const curveballFixed: StudyOptimizer = { label: 'CurveBall', name: 'curveball', options: { lambda: 1, autoLambda: false } };
const sgd: StudyOptimizer = { label: 'SGD', name: 'momentum', options: { lr: 0.01, momentum: 0.9 } };
const adam: StudyOptimizer = { label: 'Adam', name: 'adam', options: { lr: 0.001 } };

/** Random networks from archSeed 0 on. */
const defaultRandomCount = 50;

const studies: Record<BuiltInStudyName, { description: string; architectures: (scale: Scale, count: number) => StudyArchitecture[]; optimizers: StudyOptimizer[] }> = {
  'seed-table': {
    description:
      "the CurveBall paper's table: Basic, Basic + BN, ResNet-18 and VGG-f (with batch norm, as the reference code trains it) × CurveBall-λ, CurveBall, SGD (momentum 0.9) and Adam, the same hyper-parameters for every network; the report shows the paper's numbers beside",
    architectures: (scale): StudyArchitecture[] => {
      const budget = (label: SeedTableArchitecture): { budget?: StudyBudget } => {
        const epochs = scale.ownEpochs[label];
        return epochs === undefined ? {} : { budget: { epochs } };
      };
      const width = String(scale.width);
      return [
        { label: 'Basic', preset: 'basic-cnn', ...budget('Basic') },
        { label: 'Basic + BN', preset: 'basic-cnn-bn', ...budget('Basic + BN') },
        { label: 'ResNet-18', preset: 'resnet18', options: { width }, ...budget('ResNet-18') },
        { label: 'VGG-f', preset: 'vgg-f', options: { width, batchNorm: 'true', dropout: '0' }, ...budget('VGG-f') },
      ];
    },
    optimizers: [curveballAdaptive, curveballFixed, sgd, adam],
  },
  'random-architectures': {
    description:
      `the paper's fair test: random networks (default ${defaultRandomCount}, archSeed 0 on) × CurveBall-λ, SGD (momentum 0.9) and Adam; ` +
      'the report counts how often each trains a network best and how often it fails',
    architectures: (_scale, count) => [{ random: { count, seed: 0 } }],
    // One CurveBall only: wins are counted per network with ties, so two CurveBall columns that agree (the
    // fit ratio rarely leaves the band where λ stays put) would tie each other and neither would win.
    optimizers: [curveballAdaptive, sgd, adam],
  },
};

export function listBuiltInStudies(): BuiltInStudyInfo[] {
  return (Object.keys(studies) as BuiltInStudyName[]).map((name) => ({
    name,
    description: studies[name].description,
    scales: (Object.keys(scales) as StudyScale[]).map((scale) => ({ scale, description: scales[scale].description })),
  }));
}

/** The split sizes of the study's dataset, where known: a built-in's subsets never ask for more. */
export interface SplitSizes {
  trainSize?: number;
  validationSize?: number;
}

/** A built-in study as a spec (unnamed), for its dataset (default: the embedded MNIST) at its scale (default tiny). */
export function builtInStudySpec(request: BuiltInStudyRequest, splits: SplitSizes): StudySpec {
  const scale = scales[request.scale ?? 'tiny'];
  const study = studies[request.builtIn];
  const dataset = request.dataset ?? 'mnist';
  const count = request.count ?? defaultRandomCount;
  const atMost = (size: number | undefined, available: number | undefined) =>
    size === undefined ? undefined : available === undefined ? size : Math.min(size, available);
  const trainSize = atMost(scale.trainSize, splits.trainSize);
  const valSize = atMost(scale.valSize, splits.validationSize);
  return {
    dataset,
    ...(request.target !== undefined ? { target: request.target } : {}),
    ...(trainSize !== undefined ? { trainSize } : {}),
    ...(valSize !== undefined ? { valSize } : {}),
    architectures: study.architectures(scale, count),
    optimizers: study.optimizers,
    seeds: scale.seeds,
    budget: { epochs: scale.epochs },
    batchSize: scale.batchSize,
  };
}
