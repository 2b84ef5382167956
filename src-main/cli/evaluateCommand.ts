import { selectBackend } from '../engine/backend';
import { ModelSpecError, UserInputError } from '../engine/errors';
import { evaluateWeights } from '../engine/train/evaluateWeights';
import { checkDatasetName, parseArch, parseCommandArgs } from './argumentValues';
import { formatMetric } from './formatMetric';
import { UsageError } from './usageError';

export const evaluateUsage = `Usage: curvelab evaluate --weights FILE --dataset <name|path> [--target <cols>] [--arch <preset|spec.json>]
                         [--set key=value]... [--split validation|train] [--seed S] [--backend NAME] [--json]

The loss and accuracy of a weights file (\`curvelab export-weights\`, or PyTorch's state dict of the same
architecture saved as safetensors; docs/weights.md) on every example of a dataset's split, in eval mode
(batch norm's running statistics, no dropout). The dataset is loaded as a run loads it (standardised with
its training split's statistics).

  --weights      the .safetensors file
  --dataset      mnist (embedded), a folder of IDX or CIFAR files, an IDX file or a .csv file
  --target       CSV only: the target column(s), as the run had them
  --arch         a preset or a JSON model spec file (default: the model spec the file carries; a plain
                 safetensors file has none)
  --set k=v      a preset option (e.g. widths=256,128); repeat for several
  --split        validation (default) or train
  --seed S       CSV only: the seed of the validation hold-out (default: the seed of the run that wrote the
                 file, else 0)
  --backend      the TF.js backend (default: the best that loads)
  --json         print {"dataset","split","examples","loss","accuracy"} as one JSON line

Exit status: 0 evaluated, 2 bad arguments, a file that is not these weights, or a model that does not fit the data.
`;

/** `curvelab evaluate`: a weights file measured on a dataset. */
export async function runEvaluateCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('evaluate', {
    args: argv,
    options: {
      weights: { type: 'string' },
      dataset: { type: 'string' },
      target: { type: 'string' },
      arch: { type: 'string' },
      set: { type: 'string', multiple: true },
      split: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (values.weights === undefined) throw new UsageError('--weights is required', 'evaluate');
  if (values.dataset === undefined) throw new UsageError('--dataset is required', 'evaluate');
  checkDatasetName(values.dataset, 'evaluate');
  const split = values.split ?? 'validation';
  if (split !== 'validation' && split !== 'train') throw new UsageError(`--split ${split}: expected validation or train`, 'evaluate');
  if (values.seed !== undefined && !/^\d+$/.test(values.seed)) throw new UsageError(`--seed ${values.seed}: expected a non-negative integer`, 'evaluate');
  const arch = values.arch !== undefined ? parseArch(values.arch, 'evaluate') : undefined;
  if (arch === undefined && values.set !== undefined) throw new UsageError('--set gives options of the --arch preset: give --arch too', 'evaluate');

  await selectBackend(values.backend);
  let result;
  try {
    result = await evaluateWeights({
      weights: values.weights,
      dataset: values.dataset,
      ...(values.target !== undefined ? { target: values.target } : {}),
      ...(arch !== undefined ? { arch, archOptions: presetOptions(values.set ?? []) } : {}),
      split,
      ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
    });
  } catch (error) {
    if (error instanceof ModelSpecError) {
      const source = arch !== undefined ? `--arch ${values.arch}` : `${values.weights}: its model spec`;
      throw new UserInputError(`${source}: ${error.message}`);
    }
    throw error;
  }
  if (values.json) {
    const { dataset, examples, loss, accuracy } = result;
    process.stdout.write(`${JSON.stringify({ dataset, split, examples, loss, accuracy })}\n`);
  } else {
    const accuracy = result.accuracy !== null ? `  accuracy ${formatMetric(result.accuracy)}` : '';
    process.stdout.write(`${result.dataset} ${split} (${result.examples} examples): loss ${formatMetric(result.loss)}${accuracy}\n`);
  }
  return 0;
}

function presetOptions(settings: string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${setting}: expected key=value`, 'evaluate');
    options[setting.slice(0, eq)] = setting.slice(eq + 1);
  }
  return options;
}
