import type { Dataset } from '../data/dataset';
import type { RunSpec } from '../../shared/runSpec';
import { tf } from '../tf';
import { train, type TrainOptions } from './trainer';
import type { DoneEvent, StepEvent, TrainEvent } from './trainEvents';

/** Whole training runs, for the tests that compare runs across backends and read paths. */

/** A whole run's events, its step events, and how it ended. */
export interface TrainedRun {
  events: TrainEvent[];
  steps: StepEvent[];
  done: DoneEvent;
}

/** Trains `spec` on `data` through the trainer on that TF.js backend, keeping every event (and passing each to options.onEvent). */
export async function trainOn(backend: 'cpu' | 'webgpu', spec: RunSpec, data: Dataset, options: Partial<TrainOptions> = {}): Promise<TrainedRun> {
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  const events: TrainEvent[] = [];
  const onEvent = (e: TrainEvent): void => {
    events.push(e);
    options.onEvent?.(e);
  };
  const done = await train(spec, data, { backend: { name: backend, reason: 'test' }, ...options, onEvent });
  return { events, steps: events.filter((e): e is StepEvent => e.type === 'step'), done };
}

/**
 * Whether two runs' values agree: |a − b| within `tolerance` of the larger magnitude, with an absolute floor
 * of 1e-6 for values at or near 0 (ρ on step 0); two nulls agree, a null and a number do not.
 */
export function close(a: number | null, b: number | null, tolerance: number): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b)) + 1e-6;
}
