/**
 * The bounds of a run request that are not the engine's to know: how long a run may be, how large a
 * batch, which seeds, how many runs one request may start. The lab's request schema enforces them (for
 * the API and `curvelab train` alike) and the UI shows them from here, so there is one copy.
 */
export const runSpecLimits = {
  /** At most this many epochs, or steps, bound one run. */
  maxEpochs: 100_000,
  maxSteps: 100_000_000,
  maxBatchSize: 1_000_000,
  /** A training or validation subset (trainSize, valSize) has at most this many examples, and at most its split's. */
  maxSubsetSize: 100_000_000,
  /** The divergence factor is a number above 1 and at most this (or 'off'). */
  maxDivergenceFactor: 1e12,
  /** Seeds are non-negative int32. */
  maxSeed: 2 ** 31 - 1,
  /** One request: seeds, optimizer entries, and values of one grid option. */
  maxSeeds: 100,
  maxOptimizers: 20,
  maxGridValues: 50,
  /** The runs one request may start: its optimizer entries' grid combinations times its seeds. */
  maxRuns: 5000,
  maxExperimentName: 200,
} as const;
