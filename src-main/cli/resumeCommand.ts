import { UserInputError } from '../engine/errors';
import type { RunInfo } from '../lab/api/labApi';
import { defaultDatabasePath } from '../lab/defaultDatabasePath';
import type { Lab } from '../lab/lab';
import { StoreError } from '../lab/store';
import { parseCommandArgs, positiveInteger } from './argumentValues';
import { EXIT_CANCELLED, EXIT_DIVERGED } from './trainCommand';
import { UsageError } from './usageError';

export const resumeUsage = `Usage: curvelab resume RUN [--db path] [--backend NAME]

Goes on with an interrupted run (a lab or \`curvelab train\` that was closed, killed or lost its machine while
it trained) from its last checkpoint: its metrics after that step are deleted and trained again, exactly as
they would have been had it never stopped (on the same backend). A run with no checkpoint trains again from
its start. Runs save checkpoints beside the database (<db>.checkpoints), every few minutes of training or
as \`--checkpoint-every\` says; a study's interrupted runs go on from theirs with \`curvelab study resume\`.

  --db path      the lab database the run is in (default: the user's data folder, or CURVELAB_DB)
  --backend      the backend to train on (default: as \`curvelab train\`); the same one as before gives the
                 same numbers bit for bit

Ctrl-C stops it again after its current step, with a checkpoint there. Exit status: 0 completed, 1 diverged
or failed, 2 bad arguments or a run that cannot be resumed, 130 stopped.
`;

/** `curvelab resume RUN`: opens the lab, resumes the run (Lab.resumeRun) in its worker thread and waits for it to end. */
export async function runResumeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('resume', {
    args: argv,
    allowPositionals: true,
    options: { db: { type: 'string' }, backend: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('give one run id', 'resume');
  const id = positiveInteger(positionals[0]!, 'RUN', 'resume');
  const { openLab } = await import('../lab/lab');
  let lab: Lab;
  try {
    lab = await openLab({
      databasePath: values.db ?? defaultDatabasePath(),
      mode: 'web',
      resumeStudies: false,
      concurrency: 1,
      ...(values.backend !== undefined ? { backend: values.backend } : {}),
    });
  } catch (error) {
    if (error instanceof StoreError) throw new UserInputError(error.message);
    throw error;
  }
  const onSigint = (): void => {
    process.stderr.write('\nstopping the run after its step (it can be resumed again) …\n');
    void lab.close();
  };
  try {
    const resumed = await lab.resumeRun({ id });
    process.stderr.write(`run ${id}: resumed (${resumed.status}); Ctrl-C stops it\n`);
    process.on('SIGINT', onSigint);
    await lab.idle();
    const run: RunInfo | undefined = lab.store.getRun(id);
    process.stdout.write(`run ${id}: ${run?.status ?? 'gone'}${run?.error ? ` (${run.error})` : ''}, ${run?.steps ?? 0} steps\n`);
    return run?.status === 'completed' ? 0 : run?.status === 'interrupted' || run?.status === 'cancelled' ? EXIT_CANCELLED : EXIT_DIVERGED;
  } finally {
    process.off('SIGINT', onSigint);
    await lab.close();
  }
}
