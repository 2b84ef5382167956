import type { RunSpec } from '../../shared/runSpec';
import type { StepEvent } from '../../engine/train/trainEvents';

/** Test helpers shared by the store tests. */
export const sampleSpec: RunSpec = {
  dataset: 'mnist',
  arch: 'mlp',
  archOptions: { widths: '32' },
  optimizer: 'sgd',
  optimizerOptions: { lr: 0.1, nesterov: false },
  epochs: 1,
  batchSize: 64,
  shuffle: true,
  init: 'default',
  seed: 3,
};

export function stepEvent(step: number, loss: number, trace: Record<string, number> = {}): StepEvent {
  return {
    type: 'step',
    step,
    epoch: 0,
    loss,
    accuracy: null,
    seconds: step / 10,
    forwardPasses: step + 1,
    backwardPasses: step + 1,
    forwardModePasses: 0,
    trace,
  };
}
