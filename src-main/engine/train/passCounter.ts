/**
 * Cumulative counts of the network passes a run has made, so curves can be compared per unit of work:
 * a second-order method pays for its extra forward-mode and backward passes.
 */
export class PassCounter {
  forward = 0;
  backward = 0;
  forwardMode = 0;

  snapshot(): PassCounts {
    return { forwardPasses: this.forward, backwardPasses: this.backward, forwardModePasses: this.forwardMode };
  }
}

export interface PassCounts {
  forwardPasses: number;
  backwardPasses: number;
  forwardModePasses: number;
}
