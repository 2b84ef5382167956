import type { tf } from '../tf';

/**
 * A loss of the network outputs y (batch × outputs) against targets. Every quantity is in closed form
 * so CurveBall and Hessian-free need no second-order autodiff.
 */
export interface Loss {
  readonly name: 'softmaxCrossEntropy' | 'meanSquaredError';
  /** Scalar loss (a mean, see each loss). */
  value(y: tf.Tensor, targets: tf.Tensor): tf.Scalar;
  /** dL/dy, same shape as y. */
  gradient(y: tf.Tensor, targets: tf.Tensor): tf.Tensor;
  /** H_L · v where H_L = d²L/dy²; v has the shape of y. */
  hessianVectorProduct(y: tf.Tensor, targets: tf.Tensor, v: tf.Tensor): tf.Tensor;
  /** Fraction of correct argmax predictions (classification losses only; null otherwise). */
  accuracy(y: tf.Tensor, targets: tf.Tensor): tf.Scalar | null;
  /** What a training step needs from its first pass, together (in one kernel where the backend has one). */
  evaluate(y: tf.Tensor, targets: tf.Tensor): LossEvaluation;
}

export interface LossEvaluation {
  /** [loss] or, for a classification loss, [loss, accuracy]: read back in one sync. */
  numbers: tf.Tensor1D;
  /** dL/dy */
  gradient: tf.Tensor;
}
