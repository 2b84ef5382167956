import { loadRunDataset } from '../engine/data/loadDataset';
import { planRun, type RunPlan } from '../engine/train/runPlan';
import { checkWeightsFit } from '../engine/weights/modelWeights';
import { readWeightsHeader } from '../engine/weights/weightsFile';
import type { TrainCommand } from './parseTrainArgs';
import { textTable } from './textTable';
import { namingTheFlag } from './trainCommand';

/**
 * `curvelab train --dry-run`: the spec checked against its dataset exactly as the run would check it
 * (loaded as runJob loads it, planned with planRun: the model, the subsets, augmentation; the weights it
 * starts from against the model), then its layer table, parameter count and forward FLOPs per example.
 * Trains nothing and records nothing.
 */
export async function runDryRunCommand(command: TrainCommand): Promise<number> {
  const { spec } = command;
  let plan: RunPlan;
  let datasetName: string;
  try {
    const dataset = await loadRunDataset(spec);
    datasetName = dataset.name;
    plan = planRun(spec, dataset);
    if (spec.initFrom !== undefined) checkWeightsFit(plan.model, readWeightsHeader(spec.initFrom).tensors, spec.initFrom);
  } catch (error) {
    throw namingTheFlag(error, command);
  }
  const { layers, paramCount } = plan.model.describe();
  const flopsPerExample = plan.model.flopsPerExample();
  const data = { name: datasetName, trainSize: plan.train.n, validationSize: plan.validation.n, augment: plan.augment };
  if (command.json) {
    process.stdout.write(`${JSON.stringify({ type: 'dry-run', dataset: data, layers, paramCount, flopsPerExample })}\n`);
    return 0;
  }
  const rows = layers.map((l) => [`${'  '.repeat(l.depth)}${l.name}`, l.type, l.outputShape.join('×'), l.paramCount.toLocaleString('en-US')]);
  process.stdout.write(
    `${typeof spec.arch === 'string' ? spec.arch : 'custom spec'} on ${data.name}: ${data.trainSize} train / ${data.validationSize} validation examples` +
      `${data.augment ? ', augmented' : ''}\n\n` +
      textTable(['layer', 'type', 'output', 'parameters'], rows, 3) +
      `\nparameters         ${paramCount.toLocaleString('en-US')}\n` +
      `FLOPs per example  ${flopsPerExample.toLocaleString('en-US')} (forward pass)\n` +
      'dry run: nothing was trained or recorded\n',
  );
  return 0;
}
