import type { RunSpec } from '../shared/runSpec';
import type { TrainEvent } from '../engine/train/trainEvents';
import type { RunRecorder, Store } from '../lab/store';

/** The experiment that collects runs started from the command line. */
export const CLI_EXPERIMENT_NAME = 'Command line';

/**
 * Records one `curvelab train` run in the lab database as the app would. The run's row is made at the
 * `start` event, so arguments or data that fail before training leave nothing behind; from then on every
 * event goes to the store's batched recorder, and a crash marks the run failed with its rows kept.
 */
export class RunRecording {
  private recorder: RunRecorder | null = null;
  private runId: number | null = null;

  constructor(
    private readonly store: Store,
    private readonly spec: RunSpec,
  ) {}

  record(event: TrainEvent): void {
    if (event.type === 'start') {
      const experiment =
        this.store.listExperiments().find((e) => e.name === CLI_EXPERIMENT_NAME) ??
        this.store.createExperiment({ name: CLI_EXPERIMENT_NAME, notes: 'Runs started with `curvelab train`.' });
      this.runId = this.store.createRun(experiment.id, this.spec, { pid: process.pid }).id;
      this.store.markRunStarted(this.runId, {
        backend: event.backend,
        pid: process.pid,
        totalSteps: event.totalSteps,
        stepsPerEpoch: event.stepsPerEpoch,
      });
      this.recorder = this.store.recordRun(this.runId);
    }
    this.recorder?.record(event);
  }

  /** The run crashed: keep what was recorded and say why. */
  fail(error: unknown): void {
    if (this.runId === null) return;
    this.recorder?.close();
    this.store.markRunFinished(this.runId, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
  }

  close(): void {
    this.recorder?.close();
    this.store.close();
  }
}
