/**
 * The one place the engine imports TensorFlow.js from. The engine uses tfjs-core with the backends
 * registered by `backend.ts`; importing through here keeps that choice in one file.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

// PROD silences TF.js's console advice ("install tfjs-node"): CurveLab reports the backend itself.
tf.env().set('PROD', true);

export { tf };
export type Tensor = tf.Tensor;

/**
 * tf.tidy for a step that returns plain values (numbers, records): every tensor made inside is disposed
 * unless it was passed to tf.keep. tf.tidy's own typing only admits tensor containers as results.
 */
export function tidyValue<T>(fn: () => T): T {
  let result: { value: T } | undefined;
  tf.tidy(() => {
    result = { value: fn() };
  });
  return result!.value;
}
