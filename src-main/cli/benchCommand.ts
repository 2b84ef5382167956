import { selectBackend } from '../engine/backend';
import { type BenchmarkCase, type BenchmarkResult, runBenchmarkCase } from '../engine/bench/benchmarkCase';
import { caseClock } from '../engine/bench/caseClock';
import { measureGemmPeak } from '../engine/bench/gemmPeak';
import { gpuSuiteModels } from '../engine/bench/gpuSuite';
import { standardSuiteModels, standardSuiteOptimizers } from '../engine/bench/standardSuite';
import { runTorchBench, torchCases, type TorchBenchOutcome } from '../engine/bench/torchBench';
import { compareWithTorch } from '../engine/bench/torchComparison';
import { describePresets } from '../engine/nn/presets';
import { optimizerDescriptors, parseOptionText } from '../engine/optim/registry';
import { benchmarkQueue } from '../lab/queue/queueBenchmark';
import { benchmarkStore } from '../lab/store/benchmarkStore';
import { didYouMean } from '../shared/closestName';
import { parseArch, parseCommandArgs, positiveInteger } from './argumentValues';
import { textTable } from './textTable';
import { formatGpuCount, formatKilobytes } from './gpuWorkText';
import { UsageError } from './usageError';

interface BenchCommand {
  cases: BenchmarkCase[];
  backends: (string | undefined)[];
  /** Also time the SGD cases' models in PyTorch. */
  torch: boolean;
  /** Seconds for the whole command, shared out among the cases (see caseClock). */
  budgetSeconds: number | undefined;
  json: boolean;
}

const DEFAULT_STEPS = 20;
const MAX_SECONDS_PER_CASE = 20;
/** PyTorch's time limit beyond its cases' caps: a minute to start (import torch, CUDA), a minute a case for set-up and warm-up. */
const TORCH_START_SECONDS = 60;
const TORCH_CASE_SLACK_SECONDS = 60;
const suites = { standard: standardSuiteModels, gpu: gpuSuiteModels };

/** `curvelab bench`: times training steps and prints a table (or JSON lines). */
export async function runBenchCommand(argv: string[]): Promise<number> {
  if (argv.includes('--store')) return runStoreBenchmark(argv.filter((a) => a !== '--store'));
  if (argv.includes('--queue')) return runQueueBenchmark(argv.filter((a) => a !== '--queue'));
  const command = parseBenchArgs(argv);
  const torch = command.torch ? torchCases(command.cases) : { cases: [], notes: [] };
  const clock = caseClock(MAX_SECONDS_PER_CASE, command.budgetSeconds, torch.cases.length + command.cases.length * command.backends.length);
  const torchOutcome = command.torch ? timeInTorch(torch, clock.capFor(torch.cases.length), command.json) : null;
  const rows: { result: BenchmarkResult; peak: number }[] = [];
  for (const backendName of command.backends) {
    const backend = await selectBackend(backendName);
    const peak = await measureGemmPeak();
    if (!command.json) {
      process.stderr.write(`backend ${backend.name} (${backend.reason})\nGEMM peak ${peak.gflops.toFixed(1)} GFLOP/s (${peak.source})\n`);
    }
    for (const c of command.cases) {
      if (!command.json) process.stderr.write(`  timing ${label(c)} …\n`);
      const result = await runBenchmarkCase({ ...c, maxSeconds: clock.capFor() }, backend);
      rows.push({ result, peak: peak.gflops });
      if (command.json) process.stdout.write(`${JSON.stringify({ ...result, gemmPeakGflops: peak.gflops, gemmPeakSource: peak.source })}\n`);
    }
  }
  if (!command.json) {
    const results = rows.map((r) => r.result);
    process.stdout.write(table(rows) + gpuWorkTable(results) + (torchOutcome ? torchTable(results, torchOutcome) : ''));
  }
  return 0;
}

/** Times the models in PyTorch, each for at most `maxSeconds`; in --json, one line per model or note. */
function timeInTorch(torch: ReturnType<typeof torchCases>, maxSeconds: number, json: boolean): TorchBenchOutcome {
  const cases = torch.cases.map((c) => ({ ...c, maxSeconds }));
  if (!json && cases.length > 0) process.stderr.write(`timing ${cases.length} models' SGD steps in PyTorch …\n`);
  const outcome = cases.length > 0 ? runTorchBench(cases, { timeoutSeconds: TORCH_START_SECONDS + cases.length * (maxSeconds + TORCH_CASE_SLACK_SECONDS) }) : { times: [], notes: [] };
  const notes = [...torch.notes, ...outcome.notes];
  if (json) for (const line of [...outcome.times, ...notes.map((note) => ({ note }))]) process.stdout.write(`${JSON.stringify({ framework: 'pytorch', ...line })}\n`);
  return { times: outcome.times, notes };
}

/** `curvelab bench --store`: how fast the lab database writes metrics and reads the compare view's curves. */
function runStoreBenchmark(argv: string[]): number {
  const json = argv.includes('--json');
  const unknown = argv.filter((a) => a !== '--json');
  if (unknown.length > 0) throw new UsageError(`--store takes only --json (got ${unknown.join(' ')})`, 'bench');
  if (!json) process.stderr.write('writing 50 runs × 20,000 steps of metrics and traces …\n');
  const result = benchmarkStore();
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    process.stdout.write(
      `metric rows inserted per second   ${Math.round(result.rowsPerSecond).toLocaleString('en-US')}\n` +
        `read ${result.runs} runs × ${result.stepsPerRun.toLocaleString('en-US')} steps, ${result.points} points each   ${result.readSeconds.toFixed(3)} s\n`,
    );
  }
  return 0;
}

/** `curvelab bench --queue`: runs per second through BullMQ, and metric rows per second from workers into SQLite. */
async function runQueueBenchmark(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('bench', { args: argv, options: { json: { type: 'boolean' }, backend: { type: 'string' } } });
  const json = values.json ?? false;
  const result = await benchmarkQueue({
    ...(values.backend !== undefined ? { backend: values.backend } : {}),
    ...(json ? {} : { progress: (line: string) => process.stderr.write(`${line}\n`) }),
  });
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    process.stdout.write(
      `trivial runs through the queue per second           ${result.runsPerSecond.toFixed(2)}   (${result.runs} runs of 1 step, ${result.workerConcurrency} worker threads)\n` +
        `metric rows from workers into SQLite per second   ${Math.round(result.rowsPerSecond).toLocaleString('en-US')}   (${result.streamedRuns} runs × ${result.stepsPerRun.toLocaleString('en-US')} steps, ${result.traceValuesPerStep} trace values each)\n`,
    );
  }
  return 0;
}

function label(c: BenchmarkCase): string {
  return `${typeof c.arch === 'string' ? c.arch : 'custom'} ${c.optimizer} batch ${c.batchSize}`;
}

function table(rows: { result: BenchmarkResult; peak: number }[]): string {
  const header = ['arch', 'optimizer', 'batch', 'input', 'backend', 'ms/step', 'MFLOP/step', 'GFLOP/s', '% of GEMM peak'];
  const lines = rows.map(({ result: r, peak }) => [
    r.arch,
    r.optimizer,
    String(r.batchSize),
    r.inputShape.join('×'),
    r.backend,
    r.msPerStep.toFixed(r.msPerStep < 100 ? 2 : 0),
    (r.flopsPerStep / 1e6).toFixed(0),
    r.gflops.toFixed(1),
    `${((100 * r.gflops) / peak).toFixed(1)}%`,
  ]);
  return textTable(header, lines, 5);
}

/** Each case beside PyTorch's SGD step on its model and beside its own SGD step, then why any reference is missing. */
function torchTable(results: BenchmarkResult[], torch: TorchBenchOutcome): string {
  const ms = (n: number | null) => (n === null ? '—' : n.toFixed(n < 100 ? 2 : 0));
  const ratio = (n: number | null) => (n === null ? '—' : `${n.toFixed(2)}×`);
  const lines = compareWithTorch(results, torch.times).map(({ result: r, torchMsPerStep, overTorch, overOwnSgd }) => [
    r.arch,
    r.optimizer,
    String(r.batchSize),
    r.backend,
    ms(r.msPerStep),
    ms(torchMsPerStep),
    ratio(overTorch),
    ratio(overOwnSgd),
  ]);
  const header = ['arch', 'optimizer', 'batch', 'backend', 'ms/step', 'PyTorch ms/step', 'CurveLab/PyTorch', 'CurveBall/own SGD'];
  const reference = torch.times[0];
  const title = reference
    ? `PyTorch ${reference.torch} on ${reference.device} (${reference.deviceName}), float32: its SGD step beside CurveLab's (no PyTorch CurveBall: —)`
    : 'PyTorch: no step timed';
  return `\n${title}\n${textTable(header, lines, 4)}${torch.notes.map((n) => `${n}\n`).join('')}`;
}

/** The webgpu rows' GPU work per step, as a second table; nothing when no row ran on webgpu. */
function gpuWorkTable(results: BenchmarkResult[]): string {
  const lines = results.flatMap(({ gpuWorkPerStep: w, ...r }) =>
    w
      ? [[r.arch, r.optimizer, String(r.batchSize), r.backend, ...[w.dispatches, w.submits, w.blockingReadbacks, w.asyncReadbacks].map(formatGpuCount), formatKilobytes(w.bytesUploaded)]]
      : [],
  );
  if (lines.length === 0) return '';
  const header = ['arch', 'optimizer', 'batch', 'backend', 'dispatches', 'submits', 'blocking reads', 'async reads', 'KB uploaded'];
  return `\nGPU work per step (mean over the timed steps)\n${textTable(header, lines, 4)}`;
}

function parseBenchArgs(argv: string[]): BenchCommand {
  const { values } = parseCommandArgs('bench', {
    args: argv,
    options: {
      arch: { type: 'string' },
      optimizer: { type: 'string' },
      set: { type: 'string', multiple: true },
      'batch-size': { type: 'string' },
      input: { type: 'string' },
      classes: { type: 'string' },
      steps: { type: 'string' },
      backend: { type: 'string' },
      compare: { type: 'string' },
      suite: { type: 'string' },
      torch: { type: 'boolean' },
      budget: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const steps = values.steps !== undefined ? positiveInteger(values.steps, '--steps', 'bench') : DEFAULT_STEPS;
  const optimizers = values.optimizer !== undefined ? [benchOptimizer(values.optimizer)] : standardSuiteOptimizers;
  const archName = values.arch ?? 'mlp';
  const { optimizerOptions, archOptions } = routeBenchSettings(values.set ?? [], optimizers, archName);
  const single = values.arch !== undefined || values['batch-size'] !== undefined || values.input !== undefined || values.classes !== undefined;
  if (single && values.suite !== undefined) throw new UsageError('--suite picks the models: leave out --arch, --batch-size, --input and --classes', 'bench');
  const models = single
    ? [
        {
          arch: parseArch(archName, 'bench'),
          archOptions,
          batchSize: values['batch-size'] !== undefined ? positiveInteger(values['batch-size'], '--batch-size', 'bench') : 64,
          inputShape: values.input !== undefined ? parseInput(values.input) : [28, 28, 1],
          classes: values.classes !== undefined ? positiveInteger(values.classes, '--classes', 'bench') : 10,
        },
      ]
    : suiteModels(values.suite ?? 'standard');
  const cases = models.flatMap((m) => optimizers.map((optimizer) => ({ ...m, optimizer, optimizerOptions, steps, maxSeconds: MAX_SECONDS_PER_CASE })));
  const backends = [values.backend, ...(values.compare !== undefined ? [values.compare] : [])];
  const budgetSeconds = values.budget !== undefined ? positiveInteger(values.budget, '--budget', 'bench') : undefined;
  return { cases, backends, torch: values.torch ?? false, budgetSeconds, json: values.json ?? false };
}

function suiteModels(name: string) {
  if (!Object.hasOwn(suites, name)) throw new UsageError(`--suite ${name}: expected ${Object.keys(suites).join(' or ')}`, 'bench');
  return suites[name as keyof typeof suites];
}

/** The optimizer --optimizer names; a name of none is refused with the one it resembles. */
function benchOptimizer(name: string): string {
  const names = optimizerDescriptors().map((d) => d.name);
  if (!names.includes(name)) throw new UsageError(`--optimizer ${name}: no such optimizer (${names.join(', ')})${didYouMean(name, names)}`, 'bench');
  return name;
}

/** --set key=value goes to the optimizer when it has that option, else to the preset. */
function routeBenchSettings(settings: string[], optimizers: string[], arch: string) {
  const optimizerOptions: BenchmarkCase['optimizerOptions'] = {};
  const archOptions: Record<string, string> = {};
  const presetOptions = describePresets().find((p) => p.name === arch)?.options.map((o) => o.name) ?? [];
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${setting}: expected key=value`, 'bench');
    const key = setting.slice(0, eq);
    const text = setting.slice(eq + 1);
    if (presetOptions.includes(key)) {
      archOptions[key] = text;
      continue;
    }
    if (optimizers.length !== 1) throw new UsageError(`--set ${key}: optimizer options need --optimizer (the suite runs several)`, 'bench');
    optimizerOptions[key] = parseOptionText(optimizers[0], key, text);
  }
  return { optimizerOptions, archOptions };
}

function parseInput(text: string): number[] {
  const dims = text.split('x').map(Number);
  if (dims.length < 1 || dims.length > 3 || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new UsageError(`--input ${text}: expected HxWxC (e.g. 28x28x1) or a feature count`, 'bench');
  }
  return dims;
}

export const benchUsage = `Usage: curvelab bench [--arch <preset|spec.json>] [--optimizer <name>] [--set key=value]... [--batch-size N]
                      [--input HxWxC] [--classes K] [--suite standard|gpu] [--steps N] [--budget S]
                      [--backend <name>] [--compare <name>] [--torch] [--json]

Times training steps on synthetic data after a warm-up (2 steps; on webgpu 5, since the trainer reads a
step's metrics up to 3 steps behind and only then is its pace the device's): median milliseconds per step, the
model's FLOPs per step, the achieved GFLOP/s and the measured GEMM peak it is compared with (the native
BLAS on a 1024×1024 product for the CPU backends, TF.js's 2048×2048 matMul on a GPU backend). With no model
arguments it runs the standard suite for sgd and curveball:
  mlp 784-512-512-10 (relu) batch 128; small-cnn on 28×28×1 batch 64; basic-cnn-bn on 32×32×3 batch 128.

  --arch         a preset or JSON model spec (default mlp when any model flag is given)
  --optimizer    one optimizer instead of sgd and curveball
  --set k=v      an option of that optimizer or of the preset (e.g. widths=512,512)
  --batch-size   default 64;  --input  default 28x28x1;  --classes  default 10
  --suite        the models when no model flag is given: standard (above, the default), or gpu: the
                 standard suite and resnet18 (width 64) on 32×32×3 batch 128
  --steps N      timed steps per case, at most (default ${DEFAULT_STEPS}; a case stops after ${MAX_SECONDS_PER_CASE} s, with at least 2)
  --budget S     seconds for the whole command: each case (CurveLab's and PyTorch's) stops after the smaller
                 of ${MAX_SECONDS_PER_CASE} s and an equal share of what is left of S over the cases left (still with at
                 least 2 steps), so that set-up and warm-ups come off the later cases' shares
  --backend      auto (default), tensorflow, webgpu, cpu-blas or cpu
  --compare      a second backend to run the same cases on, for a side-by-side table
  --torch        also time the SGD cases' models in PyTorch, first (see below)
  --json         one JSON object per case: arch, optimizer, batchSize, backend, msPerStep, gflops, …,
                 gpuWorkPerStep (null except on webgpu); with --torch also one per PyTorch model,
                 {framework: "pytorch", arch, batchSize, inputShape, device, deviceName, torch, parameters,
                 msPerStep, timedSteps}, and one per note, {framework: "pytorch", note}
  --store        instead: the lab database's speed (metric rows inserted per second, and the time to read
                 50 runs × 20,000 steps downsampled to 1,000 points each); npm run bench:store
  --queue        instead: the Redis queue's speed, on a private redis-server it starts on a loopback port
                 (Debian's redis-server package): trivial runs per second through BullMQ and a worker in
                 this process (--backend applies), and metric rows per second streamed from workers into
                 SQLite (10 runs × 20,000 steps, ρ, β, λ traced per step); npm run bench:queue

FLOPs count dense and conv multiply-adds ×2: a forward pass once, a backward pass twice, a
forward-mode (JVP) pass twice.

On webgpu a second table (and gpuWorkPerStep in --json) gives what a timed step asked of the GPU, the
mean over the timed steps, counted at the WebGPU device: dispatches (kernel runs), submits (queue
submissions), blocking readbacks (reads the step waits for, e.g. CurveBall's inner products), async
readbacks (reads it awaits) and bytes uploaded (buffer writes and buffers created mapped). Other
backends have no such counts: the table is left out and gpuWorkPerStep is null.

With --torch a last table puts each case beside PyTorch: on SGD rows PyTorch's SGD step on the same
model and batch and CurveLab/PyTorch (CurveLab's step over PyTorch's), on CurveBall rows CurveBall/own
SGD (its step over CurveLab's SGD step on the same model and backend); — where there is none (PyTorch's
CurveBall is not timed). PyTorch (src-main/engine/bench/torchBench.py, on the first of python3 and
/usr/bin/python3 that imports torch) builds the same presets (mlp, small-cnn, basic-cnn-bn, resnet18),
trains in float32 (TF32 off) on CUDA when torch.cuda.is_available(), else on the CPU, as the table's
title says, with one synthetic batch on the device, torch.optim.SGD (lr 0.01), cuDNN's fastest
convolutions and a 2-step warm-up; it times steps in rounds of 5 (one synchronize a round, so that it
queues kernels ahead as in training) and reports the median. Without torch the table says why in a
line and the rest runs as without --torch.

npm run bench:gpu is bench --suite gpu --backend webgpu --torch --budget 240: 4 PyTorch and 8 CurveLab
cases share 240 s (each at most ${MAX_SECONDS_PER_CASE} s and ${DEFAULT_STEPS} steps after its warm-up), which leaves a
minute for starting and for the warm-up and 2 steps of the cases that come after the budget is spent:
all in, under 5 minutes on a GPU.
`;
