import type { Dataset } from '../data/dataset';
import type { RunSpec } from '../../shared/runSpec';
import { tf } from '../tf';
import { train, type TrainOptions } from './trainer';
import type { DoneEvent, StepEvent, TrainEvent } from './trainEvents';

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
