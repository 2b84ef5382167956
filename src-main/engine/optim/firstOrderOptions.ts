import { numberOption } from './optionSchema';

/** The `lr` option of the first-order optimizers, which differ only in its default. */
export function learningRateOption(defaultValue: number) {
  return numberOption({ default: defaultValue, description: 'learning rate', min: 0 });
}

/** The `weightDecay` option of the first-order optimizers but AdamW: an L2 penalty added to the gradient (PyTorch's convention). */
export const l2WeightDecayOption = numberOption({ default: 0, description: 'L2 penalty: adds weightDecay·w to the gradient', min: 0 });
