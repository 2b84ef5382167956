import type { Layer } from './layer';

/**
 * A Layer as this package builds it: the shared Layer contract plus what the model needs to describe
 * itself (nested layers for containers, a rough forward cost).
 */
export interface NetworkLayer<Cache = unknown> extends Layer<Cache> {
  /** Nested layers (a residual block's body); empty for plain layers. */
  readonly sublayers: readonly NetworkLayer[];
  /** Multiply-adds × 2 of one example's forward pass through dense and conv layers (nested included). */
  readonly flopsPerExample: number;
}
