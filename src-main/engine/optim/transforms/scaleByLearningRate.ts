import type { GradientTransform } from './gradientTransform';

/** −lr·u, the descent step: only the lazy factor changes. */
export function scaleByLearningRate(lr: number): GradientTransform<null> {
  return {
    init: () => null,
    update: ({ tensors, scale }) => ({ updates: { tensors, scale: -lr * scale }, state: null, trace: { lr } }),
  };
}
