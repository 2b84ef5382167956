import { runSpecLimits } from '$api/labApi';
import { formatCount } from '../shell/displayFormats';

/** The help lines that tell the user the lab's bounds on a run, from the limits the lab enforces. */
export const limitHelp = {
  seeds: `e.g. 0 or 0,1,2 or 0-4, at most ${formatCount(runSpecLimits.maxSeeds)}; runs with the same seed start from the same weights`,
  batchSize: `a whole number up to ${formatCount(runSpecLimits.maxBatchSize)}, or “full”`,
  length: `at most ${formatCount(runSpecLimits.maxEpochs)} epochs or ${formatCount(runSpecLimits.maxSteps)} steps`,
  experimentName: `at most ${formatCount(runSpecLimits.maxExperimentName)} characters`,
};
