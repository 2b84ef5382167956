import { knownBackends, BACKEND_ENV_VAR } from '../engine/backend';
import { describeDatasetSources } from '../engine/data/loadDataset';
import { describePresets } from '../engine/nn/presets';
import { optimizerDescriptors } from '../engine/optim/registry';
import { checkpointEveryText, defaultCheckpointEvery } from '../shared/checkpointEvery';
import { defaultDivergenceFactor } from '../shared/runSpec';
import { runSpecLimits as limits } from '../shared/runSpecLimits';

export const mainUsage = `curvelab: a lab for training neural networks with CurveBall and other optimizers

Usage: curvelab <command> [options]

Commands:
  train     train one model and print its curves (progress bar, or JSON lines with --json)
  bench     time training steps per backend: ms per step, GFLOP/s against the machine's GEMM peak,
            and beside PyTorch's (--torch)
  serve     serve the lab to a web browser: the app, its API and live training events
  worker    take runs from a lab's queue on Redis and train them on this machine
  runs      list the runs in the lab database
  resume    go on with an interrupted run from its last checkpoint
  study     run a study (architectures × optimizers × seeds, or the paper's seed-table and
            random-architectures), resume it, list studies, write a study's report
  export    write an experiment, its runs and metrics to a .curvelab archive (with CSV copies)
  import    add the experiment in a .curvelab archive to the lab database
  export-weights
            write a run's final weights to a .safetensors file (PyTorch's names and layouts)
  evaluate  the loss and accuracy of a weights file on a dataset
  info      show the TF.js backend CurveLab would use, why, and this machine
  help      show help for a command: curvelab help train

Options:
  -h, --help     show help
  -v, --version  show the version

Environment:
  CURVELAB_REDIS  the Redis queue that serve, study run and study resume use when --redis is not given
                  (--redis wins; unset or empty: runs train in the lab's own worker threads)
`;

export function trainUsage(): string {
  const optimizers = optimizerDescriptors()
    .map((def) => {
      const options = def.options
        .map((o) => `      ${o.name.padEnd(14)} ${o.description}${o.default !== null ? ` (default ${o.default})` : ''}`)
        .join('\n');
      return `  ${def.name.padEnd(14)} ${def.description}${options ? `\n${options}` : ''}`;
    })
    .join('\n');
  const presets = describePresets()
    .map((p) => {
      const options = p.options.map((o) => `      ${o.name.padEnd(14)} ${o.description} (default ${o.default})`).join('\n');
      return `  ${p.name.padEnd(14)} ${p.description}${options ? `\n${options}` : ''}`;
    })
    .join('\n');
  return `Usage: curvelab train --dataset <name|path> [--target <cols>] --arch <preset|spec.json> --optimizer <name>
                      [--set key=value]... [--epochs N | --steps N] [--batch-size N|full] [--no-shuffle]
                      [--init default|zeros|he | --init-from FILE] [--seed S] [--train-size N] [--val-size N]
                      [--augment | --no-augment] [--divergence-factor F|off] [--checkpoint-every N|90s|5m]
                      [--experiment NAME] [--log-every K] [--backend NAME] [--db path] [--json] [--dry-run]

Trains one model, reports its curves and records the run in the lab database. The run is checked as the
lab's API checks it: the same limits and messages.

  --dataset      mnist (embedded), a folder of IDX or CIFAR files, an IDX file or a .csv file (below)
  --target       CSV only: one integer column (classification) or comma-separated numeric columns (regression)
  --arch         a preset (below) or a JSON model spec file
  --optimizer    one of the optimizers below
  --set k=v      an optimizer option or a preset option; repeat for several
  --epochs N     passes over the training set (default 1, at most ${limits.maxEpochs})
  --steps N      train for exactly N steps instead (at most ${limits.maxSteps})
  --batch-size   examples per step (at most ${limits.maxBatchSize}), or full for the whole training set (default 64;
                 a size above the training set's trains full-batch, and says so)
  --no-shuffle   visit the examples in order (default: a new seeded order each epoch)
  --init         default (Glorot-uniform kernels, zero biases), zeros, or he (He/Kaiming-normal kernels)
  --init-from FILE
                 start from the weights in a .safetensors file (\`curvelab export-weights\`, or PyTorch's state
                 dict of the same architecture; see docs/weights.md) instead of drawing them: fine-tune or go on
  --seed S       seeds initial weights, batch order, dropout, augmentation and the subsets (0 to ${limits.maxSeed},
                 default 0); the optimizer never changes them, so runs of different optimizers with one seed are paired
  --train-size N train on N examples of the training split, drawn from the seed (default: all of it);
                 the final model is evaluated on the same N
  --val-size N   validate on N examples of the validation split, drawn from the seed (default: all of it)
  --augment      flip and shift the training images (default: the dataset's own: on for CIFAR, off otherwise)
  --no-augment   train on the examples as they are, whatever the dataset
  --divergence-factor F
                 the run ends diverged when a batch loss exceeds F × the first step's loss (above 1, at most
                 ${limits.maxDivergenceFactor.toLocaleString('en-US')}; default ${defaultDivergenceFactor}) or is not finite; off: only when it is not finite
  --checkpoint-every N|90s|5m
                 save the run's whole training state every N steps, or every so many seconds, minutes or hours
                 of training (default ${checkpointEveryText(defaultCheckpointEvery).replace('every ', '')}), and where it stops, beside the database (<db>.checkpoints);
                 \`curvelab resume RUN\` goes on from the last one exactly as if it had never stopped
  --experiment NAME
                 record the run in the experiment of that name, made if there is none; runs given the same
                 name gather in one experiment (default: named after the run, "mnist · mlp · curveball", so
                 runs of one dataset, model and optimizer gather)
  --log-every K  with --json, print every K-th step (default 1); without, also print a line every K steps
  --backend      ${['auto', ...knownBackends].join(', ')} (default auto: the best that loads; or set ${BACKEND_ENV_VAR})
  --db path      the lab database to record the run in (default: the user's data folder, or CURVELAB_DB);
                 the run is recorded at least once a second, so a crash loses at most the last second
  --json         print one JSON object per line: {"type":"step",...}, {"type":"epoch",...}, {"type":"done",...};
                 done has trainEvalLoss and trainEvalAccuracy: the final model on its training examples (eval mode)
  --dry-run      load the dataset and check the spec against it as the run would, print the layers, the
                 parameter count and the FLOPs per example (with --json, one object), and stop: nothing is
                 trained or recorded

At the end it prints the run's id, its experiment and the database it is in; \`curvelab runs\` lists the
runs there, and the lab (\`npm run web\`, or \`curvelab serve\`) shows them.

Exit status: 0 completed, 1 diverged (a non-finite loss or one above the divergence factor), 2 bad arguments
or input, 130 cancelled (Ctrl-C).

Optimizers and their options:
${optimizers}

Architecture presets and their options:
${presets}

${describeDatasetSources()}
`;
}

export const infoUsage = `Usage: curvelab info [--backend NAME] [--json]

Shows the TF.js backend CurveLab selects on this machine, the reason, what was tried, and the machine.
Where tfjs-node-gpu (the optional CUDA backend) does not load, or was not tried, it also states what it
needs (tfjsNodeGpu in --json: status loaded, unavailable or not tried, and its requirements); CurveLab's
GPU path is webgpu.
`;
