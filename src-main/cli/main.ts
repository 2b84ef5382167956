import { LabError } from '../lab/api/labErrors';
import { appVersion } from '../lab/appVersion';
import { UserInputError } from '../engine/errors';
import { StorageError } from '../lab/store';
import { didYouMean } from '../shared/closestName';
import { benchUsage, runBenchCommand } from './benchCommand';
import { runDryRunCommand } from './dryRunCommand';
import { evaluateUsage, runEvaluateCommand } from './evaluateCommand';
import { exportUsage, runExportCommand } from './exportCommand';
import { exportWeightsUsage, runExportWeightsCommand } from './exportWeightsCommand';
import { importUsage, runImportCommand } from './importCommand';
import { runInfoCommand } from './infoCommand';
import { parseTrainArgs } from './parseTrainArgs';
import { resumeUsage, runResumeCommand } from './resumeCommand';
import { runRunsCommand, runsUsage } from './runsCommand';
import { runServeCommand, serveUsage } from './serveCommand';
import { runStudyCommand, studyUsage } from './studyCommand';
import { runTrainCommand } from './trainCommand';
import { infoUsage, mainUsage, trainUsage } from './usage';
import { UsageError } from './usageError';
import { runWorkerCommand, workerUsage } from './workerCommand';

const EXIT_USAGE = 2;

const commands: Record<string, { usage: () => string; run: (argv: string[]) => Promise<number> }> = {
  train: {
    usage: trainUsage,
    run: (argv) => {
      const command = parseTrainArgs(argv);
      return command.dryRun ? runDryRunCommand(command) : runTrainCommand(command);
    },
  },
  bench: { usage: () => benchUsage, run: runBenchCommand },
  runs: { usage: () => runsUsage, run: runRunsCommand },
  resume: { usage: () => resumeUsage, run: runResumeCommand },
  info: { usage: () => infoUsage, run: runInfoCommand },
  export: { usage: () => exportUsage, run: runExportCommand },
  'export-weights': { usage: () => exportWeightsUsage, run: runExportWeightsCommand },
  evaluate: { usage: () => evaluateUsage, run: runEvaluateCommand },
  import: { usage: () => importUsage, run: runImportCommand },
  serve: { usage: () => serveUsage, run: (argv) => runServeCommand(argv) },
  study: { usage: () => studyUsage, run: runStudyCommand },
  worker: { usage: () => workerUsage, run: (argv) => runWorkerCommand(argv) },
};

/** The `curvelab` command line: returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    process.stdout.write(mainUsage);
    return 0;
  }
  if (name === '-v' || name === '--version') {
    process.stdout.write(`${appVersion()}\n`);
    return 0;
  }
  if (name === 'help') {
    const topic = rest[0];
    if (topic === undefined) process.stdout.write(mainUsage);
    else if (commands[topic]) process.stdout.write(commands[topic].usage());
    else return fail(noSuchCommand(topic));
    return 0;
  }
  const command = commands[name];
  if (!command) return fail(noSuchCommand(name));
  if (rest.includes('-h') || rest.includes('--help')) {
    process.stdout.write(command.usage());
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    // The lab's refusals (no such study, a conflict) are the user's to fix, like bad input.
    // So is a full disk or a read-only database file (StorageError names the file and what went wrong).
    if (error instanceof UsageError || error instanceof UserInputError || error instanceof StorageError || (error instanceof LabError && error.code !== 'internal')) return fail(error);
    throw error;
  }
}

function noSuchCommand(name: string): UsageError {
  return new UsageError(`no such command: ${name}${didYouMean(name, Object.keys(commands))}`);
}

function fail(error: Error): number {
  process.stderr.write(`curvelab: ${error.message}\n`);
  if (error instanceof UsageError) {
    process.stderr.write(`Run 'curvelab ${error.command ? `${error.command} ` : ''}--help' for usage.\n`);
  }
  return EXIT_USAGE;
}
