import { architectureLabels, optimizerLabel, type StudyArchitecture, type StudyOptimizer, type StudySpec } from '$shared/studySpec';
import { formatCount } from '../shell/displayFormats';

/** A study spec in words: what it crosses with what, and how long each run trains. */
export interface StudySummary {
  /** One label per architecture entry (`mlp (widths=16)`, `12 random (seed 3)`). */
  architectures: string[];
  architectureCount: number;
  /** One label per optimizer entry, with its lr grid (`sgd (lr ∈ 0.1, 0.01)`). */
  optimizers: string[];
  /** Optimizer settings: each lr-grid value counts once. */
  optimizerCount: number;
  seeds: number[];
  /** `2 architectures × 4 optimizer settings × 3 seeds` */
  product: string;
  /** `40 steps per run, batch 32, 1,000 training examples on mnist` (an architecture may have its own length) */
  budget: string;
}

const plural = (n: number, word: string): string => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/** A random entry as one line (the table has a row per network); a preset or spec by its row's label. */
function architectureText(entry: StudyArchitecture): string {
  return 'random' in entry ? `${entry.random.count} random (seed ${entry.random.seed})` : architectureLabels(entry).join(', ');
}

function optimizerText(entry: StudyOptimizer): string {
  const label = optimizerLabel(entry);
  return entry.lrGrid && entry.lrGrid.length > 0 ? `${label} (lr ∈ ${entry.lrGrid.join(', ')})` : label;
}

/** What the lab's expanded spec runs (the run count itself is the lab's, from checkStudy). */
export function studySummary(spec: StudySpec): StudySummary {
  const architectureCount = spec.architectures.reduce((n, a) => n + architectureLabels(a).length, 0);
  const optimizerCount = spec.optimizers.reduce((n, o) => n + (o.lrGrid && o.lrGrid.length > 0 ? o.lrGrid.length : 1), 0);
  const length = 'epochs' in spec.budget ? plural(spec.budget.epochs, 'epoch') : plural(spec.budget.steps, 'step');
  const ownBudgets = spec.architectures.filter((a) => 'budget' in a && a.budget !== undefined).length;
  const exceptions = ownBudgets === 0 ? '' : ` (${ownBudgets === spec.architectures.length ? 'each architecture its own' : `${ownBudgets} of the architectures their own`})`;
  const data = spec.trainSize === undefined ? 'all training examples' : `${plural(spec.trainSize, 'training example')}`;
  return {
    architectures: spec.architectures.map(architectureText),
    architectureCount,
    optimizers: spec.optimizers.map(optimizerText),
    optimizerCount,
    seeds: spec.seeds,
    product: `${plural(architectureCount, 'architecture')} × ${plural(optimizerCount, 'optimizer setting')} × ${plural(spec.seeds.length, 'seed')}`,
    budget: `${length} per run${exceptions}, batch ${spec.batchSize === 'full' ? 'full' : spec.batchSize}, ${data} on ${spec.dataset}`,
  };
}
