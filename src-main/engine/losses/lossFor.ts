import type { Task } from '../data/dataset';
import type { Loss } from './loss';
import { meanSquaredError } from './meanSquaredError';
import { softmaxCrossEntropy } from './softmaxCrossEntropy';

/** The loss CurveLab trains a task with: softmax cross-entropy on logits, or mean squared error. */
export function lossFor(task: Task): Loss {
  switch (task) {
    case 'classification':
      return softmaxCrossEntropy;
    case 'regression':
      return meanSquaredError;
  }
}
