import { testFunctionById } from './functions/testFunctionCatalog';
import type { FunctionId, TestFunction } from './functions/testFunction';
import type { Vec2 } from './math/vec2';
import { distance } from './math/vec2';
import type { OptimizerEntry, OptimizerId } from './optimizers/optimizerCatalog';
import { defaultSettings, optimizerCatalog, optimizerById, settingProblem } from './optimizers/optimizerCatalog';
import type { Trajectory } from './optimizers/trajectory';
import { runTrajectory } from './optimizers/trajectory';

/** requestAnimationFrame behind an interface, so that tests can drive playback frame by frame. */
export interface FrameScheduler {
  request(callback: (timeMs: number) => void): number;
  cancel(handle: number): void;
}

export const animationFrameScheduler: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export interface PlaygroundRun {
  readonly id: OptimizerId;
  readonly label: string;
  readonly color: string;
  readonly trajectory: Trajectory;
}

export interface LegendRow {
  readonly id: OptimizerId;
  readonly label: string;
  readonly color: string;
  /** f at the current step (the clean function, also on the noisy one). */
  readonly value: number;
  readonly distanceToMinimum: number;
  /** The first step, up to the current one, within `closeDistance` of the minimum; null if none yet. */
  readonly reachedAt: number | null;
  readonly divergedAt: number | null;
  /** CurveBall's damping at the current step, when the optimizer has one. */
  readonly lambda: number | null;
}

/** "Reached the minimum" in the legend means within this distance of it. */
export const closeDistance = 1e-3;

export const stepsRange = { min: 1, max: 5000 } as const;
export const defaultSteps = 200;
/** 200 steps play in a little over three seconds. */
export const defaultStepsPerSecond = 60;

type SettingsTable = Record<FunctionId, Record<OptimizerId, Record<string, number>>>;

function allDefaultSettings(): SettingsTable {
  const table = {} as SettingsTable;
  for (const id of ['quadratic', 'rosenbrock', 'noisyRosenbrock', 'beale'] as const) {
    table[id] = {} as Record<OptimizerId, Record<string, number>>;
    for (const entry of optimizerCatalog) table[id][entry.id] = defaultSettings(entry, id);
  }
  return table;
}

function problemKey(optimizer: OptimizerId, key: string): string {
  return `${optimizer}.${key}`;
}

/**
 * Everything the optimizer playground shows, and what the user can do to it. Trajectories are computed
 * in full (all N steps) whenever the function, start, settings or N change: a few thousand 2D steps take
 * well under a millisecond, and the slider then only moves through finished arrays. Settings are kept per
 * function, so tuning SGD on Rosenbrock does not disturb its tuned value on the quadratic.
 */
export class PlaygroundState {
  functionId = $state<FunctionId>('quadratic');
  shown = $state<Record<OptimizerId, boolean>>(
    Object.fromEntries(optimizerCatalog.map((entry) => [entry.id, entry.shownByDefault])) as Record<OptimizerId, boolean>,
  );
  steps = $state(defaultSteps);
  step = $state(0);
  playing = $state(false);
  stepsPerSecond = $state(defaultStepsPerSecond);
  /** Why the last edit of N was refused, shown beside its input; null when N is as typed. */
  stepsProblem = $state<string | null>(null);

  #customStart = $state.raw<Vec2 | null>(null);
  #settings = $state<SettingsTable>(allDefaultSettings());
  /** Edited values that were rejected, by "optimizer.key", with the reason. */
  #problems = $state<Record<string, string>>({});

  readonly fn: TestFunction = $derived(testFunctionById(this.functionId));
  readonly start: Vec2 = $derived(this.#customStart ?? this.fn.start);
  readonly usesCustomStart: boolean = $derived(this.#customStart !== null);

  /** One finished trajectory per shown optimizer: plain objects, never Svelte proxies. */
  readonly runs: readonly PlaygroundRun[] = $derived.by(() => {
    const fn = this.fn;
    const start = this.start;
    const steps = this.steps;
    return optimizerCatalog
      .filter((entry) => this.shown[entry.id])
      .map((entry) => {
        const settings = { ...this.#settings[fn.id][entry.id] };
        const trajectory = runTrajectory(entry.create(settings), fn.createOracle(), fn.value, start, steps);
        return { id: entry.id, label: entry.label, color: entry.color, trajectory };
      });
  });

  readonly legend: readonly LegendRow[] = $derived.by(() => {
    const fn = this.fn;
    const k = Math.min(this.step, this.steps);
    return this.runs.map(({ id, label, color, trajectory }) => {
      // Only steps up to the slider count: the legend describes the runs as far as they have been played.
      const reached = trajectory.points.findIndex((p, index) => index <= k && distance(p, fn.minimum) < closeDistance);
      const trace = trajectory.traces[Math.min(k, trajectory.traces.length - 1)];
      return {
        id,
        label,
        color,
        value: trajectory.values[k],
        distanceToMinimum: distance(trajectory.points[k], fn.minimum),
        reachedAt: reached === -1 ? null : reached,
        divergedAt: trajectory.divergedAt,
        lambda: trace?.lambda ?? null,
      };
    });
  });

  readonly atEnd: boolean = $derived(this.step >= this.steps);

  #scheduler: FrameScheduler;
  #frameHandle: number | null = null;
  #lastFrameTime: number | null = null;
  /** Fractional steps owed from earlier frames, so playback speed does not depend on the frame rate. */
  #owedSteps = 0;

  constructor(scheduler: FrameScheduler = animationFrameScheduler) {
    this.#scheduler = scheduler;
  }

  settingsFor(optimizer: OptimizerId): Readonly<Record<string, number>> {
    return this.#settings[this.functionId][optimizer];
  }

  problemFor(optimizer: OptimizerId, key: string): string | null {
    return this.#problems[problemKey(optimizer, key)] ?? null;
  }

  /** Switches function: its own settings, its default start, trajectories from step 0. */
  setFunction(id: FunctionId): void {
    this.pause();
    this.functionId = id;
    this.#customStart = null;
    this.#problems = {};
    this.step = 0;
  }

  setShown(optimizer: OptimizerId, shown: boolean): void {
    this.shown[optimizer] = shown;
  }

  /**
   * Applies an edited setting of the current function, or, if it is out of range, keeps the old value
   * and records the reason (shown beside the input). Returns the reason, or null when applied.
   */
  setSetting(optimizer: OptimizerId, key: string, value: number): string | null {
    const entry: OptimizerEntry = optimizerById(optimizer);
    const spec = entry.settings.find((candidate) => candidate.key === key);
    if (!spec) throw new Error(`${entry.label} has no setting "${key}"`);
    const problem = settingProblem(entry, spec, value);
    if (problem) {
      this.#problems[problemKey(optimizer, key)] = problem;
      return problem;
    }
    delete this.#problems[problemKey(optimizer, key)];
    this.#settings[this.functionId][optimizer][key] = value;
    return null;
  }

  restoreDefaults(optimizer: OptimizerId): void {
    this.#settings[this.functionId][optimizer] = defaultSettings(optimizerById(optimizer), this.functionId);
    for (const key of Object.keys(this.#problems)) {
      if (key.startsWith(`${optimizer}.`)) delete this.#problems[key];
    }
  }

  /** Sets N; returns a sentence naming the field when `value` is not a whole number in range (N is then kept). */
  setSteps(value: number): string | null {
    if (!Number.isInteger(value) || value < stepsRange.min || value > stepsRange.max) {
      this.stepsProblem = `Steps must be a whole number from ${stepsRange.min} to ${stepsRange.max}; got ${Number.isFinite(value) ? value : 'nothing'}.`;
      return this.stepsProblem;
    }
    this.stepsProblem = null;
    this.steps = value;
    if (this.step > value) this.step = value;
    return null;
  }

  /** Moves the slider; dragging it takes over from playback. */
  setStep(value: number): void {
    this.pause();
    this.step = Math.min(this.steps, Math.max(0, Math.round(Number.isFinite(value) ? value : 0)));
  }

  /** Starts every optimizer from a point picked on the plot, and plays from step 0 so the effect shows at once. */
  setStart(point: Vec2): void {
    if (!(Number.isFinite(point[0]) && Number.isFinite(point[1]))) return;
    this.#customStart = [point[0], point[1]];
    this.step = 0;
    this.pause();
    this.play();
  }

  useDefaultStart(): void {
    this.#customStart = null;
    this.pause();
    this.step = 0;
  }

  /** Back to step 0, stopped. */
  reset(): void {
    this.pause();
    this.step = 0;
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Plays from the current step (from 0 when at the end) until the last step, then stops. */
  play(): void {
    if (this.playing) return;
    if (this.step >= this.steps) this.step = 0;
    this.playing = true;
    this.#lastFrameTime = null;
    this.#owedSteps = 0;
    this.#frameHandle = this.#scheduler.request(this.#onFrame);
  }

  pause(): void {
    this.playing = false;
    if (this.#frameHandle !== null) this.#scheduler.cancel(this.#frameHandle);
    this.#frameHandle = null;
  }

  /** Stops playback for good (the component calls it when it is destroyed). */
  dispose(): void {
    this.pause();
  }

  #onFrame = (timeMs: number): void => {
    this.#frameHandle = null;
    if (!this.playing) return;
    if (this.#lastFrameTime !== null) {
      this.#owedSteps += (Math.max(0, timeMs - this.#lastFrameTime) / 1000) * this.stepsPerSecond;
      const whole = Math.floor(this.#owedSteps);
      this.#owedSteps -= whole;
      this.step = Math.min(this.steps, this.step + whole);
    }
    this.#lastFrameTime = timeMs;
    if (this.step >= this.steps) {
      this.playing = false;
      return;
    }
    this.#frameHandle = this.#scheduler.request(this.#onFrame);
  };
}
