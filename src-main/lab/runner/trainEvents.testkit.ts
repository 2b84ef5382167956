import type { DoneEvent, EpochEvent, StartEvent, StepEvent } from '../../engine/train/trainEvents';

/** Test helpers: training events as the engine reports them, made by hand (a 2-class toy run). */

export function startEvent(totalSteps: number, stepsPerEpoch = totalSteps): StartEvent {
  return {
    type: 'start',
    backend: 'cpu',
    backendReason: 'test',
    optimizer: 'sgd',
    totalSteps,
    stepsPerEpoch,
    dataset: { name: 'toy', task: 'classification', inputShape: [2], classes: 2, trainSize: 8, validationSize: 4, augment: false },
    model: { layers: [{ name: 'dense', type: 'dense', outputShape: [2], paramCount: 6 }], paramCount: 6 },
  };
}

/** Step `step` with loss `loss`; it has done step + 1 forward and backward passes so far. */
export function stepEvent(step: number, loss: number, trace: Record<string, number> = { lr: 0.1 }): StepEvent {
  return { type: 'step', step, epoch: 0, loss, accuracy: 0.5, seconds: step / 10, forwardPasses: step + 1, backwardPasses: step + 1, forwardModePasses: 0, trace };
}

export function epochEvent(epoch: number, steps: number): EpochEvent {
  return { type: 'epoch', epoch, steps, trainLoss: 1, trainAccuracy: 0.5, valLoss: 2, valAccuracy: 0.25, seconds: steps / 10 };
}

export function doneEvent(steps: number, status: DoneEvent['status'] = 'completed'): DoneEvent {
  return { type: 'done', status, steps, trainLoss: 1, valLoss: 2, valAccuracy: 0.25, trainEvalLoss: 0.9, trainEvalAccuracy: 0.6, seconds: steps / 10, backend: 'cpu' };
}
