import type { UserInputError } from '../errors';
import type { RunOutcome } from '../train/trainEvents';
import type { CheckpointEvery } from '../../shared/checkpointEvery';
import type { RunSpec } from '../../shared/runSpec';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointOwner, type TrainingCheckpoint, type TrainingProgress, type TrainingTensors } from './checkpointFile';
import type { CheckpointFolder } from './checkpointFolder';

/** A run's checkpoints, as the trainer is given them. */
export interface CheckpointOptions {
  folder: CheckpointFolder;
  every: CheckpointEvery;
  /**
   * The newest step the run may go on from: a checkpoint past the steps whose metrics are recorded (a
   * crash lost the last ones) would leave a gap in its curves. Default: any.
   */
  resumeAtMost?: number;
  /** A checkpoint that was refused while an older one was resumed from: the refusal, for a warning. */
  onRefused?(error: UserInputError): void;
  /** A checkpoint of this step is safely written: the metrics of the steps before it should be recorded now too. */
  onWritten?(step: number): void;
}

/** The loop's position and tensors at this moment: asked only when a checkpoint is written. */
export type CheckpointSnapshot = () => { progress: TrainingProgress; tensors: TrainingTensors };

/**
 * When a run writes its checkpoints, and where it resumes from: the trainer asks before each step
 * (`beforeStep`) and as it ends (`end`). A run that stops before it has finished (cancelled, or
 * stopped by a lab that closes) writes one where it stopped, to be resumed from; a run that completed or
 * diverged has no use for its checkpoints, and its folder is deleted.
 */
export class Checkpointing {
  private lastStep: number;
  private lastSeconds: number;

  private constructor(
    private readonly options: CheckpointOptions,
    private readonly spec: RunSpec,
    readonly resumed: TrainingCheckpoint | null,
  ) {
    this.lastStep = resumed?.progress.step ?? 0;
    this.lastSeconds = resumed?.progress.seconds ?? 0;
  }

  /** Reads the newest checkpoint in the folder that belongs to this run (older ones when it is refused); none: the run starts afresh. */
  static open(options: CheckpointOptions, owner: CheckpointOwner): Checkpointing {
    const resumed = options.folder.latest((bytes, file) => decodeCheckpoint(bytes, file, owner), options.onRefused, options.resumeAtMost);
    return new Checkpointing(options, owner.spec, resumed);
  }

  /** Before step `step`, `seconds` into training: writes a checkpoint when one is due. */
  beforeStep(step: number, seconds: number, snapshot: CheckpointSnapshot): void {
    if (this.due(step, seconds)) this.write(step, seconds, snapshot);
  }

  /** Whether beforeStep would write a checkpoint before step `step`, `seconds` into training. */
  due(step: number, seconds: number): boolean {
    const { every } = this.options;
    return 'steps' in every ? step - this.lastStep >= every.steps : seconds - this.lastSeconds >= every.seconds;
  }

  /**
   * The run has ended: (cancelled) a checkpoint where it stopped when that was between two steps (`snapshot`;
   * stopped in the middle of an evaluation, its last checkpoint stands), or (completed, diverged) the folder gone.
   */
  end(status: RunOutcome, step: number, seconds: number, snapshot: CheckpointSnapshot | null): void {
    if (status !== 'cancelled') this.options.folder.remove();
    else if (snapshot && step !== this.lastStep) this.write(step, seconds, snapshot);
  }

  private write(step: number, seconds: number, snapshot: CheckpointSnapshot): void {
    const { progress, tensors } = snapshot();
    this.options.folder.write(step, encodeCheckpoint(this.spec, progress, tensors));
    this.lastStep = step;
    this.lastSeconds = seconds;
    this.options.onWritten?.(step);
  }
}
