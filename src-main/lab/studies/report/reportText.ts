import { architectureLabels, type StudyBudget, type StudySpec, type StudyTarget } from '../../../shared/studySpec';
import type { PerformanceProfile } from './performanceProfile';
import type { RandomArchitectureSummary } from './randomArchitectureWins';
import type { Stat } from './sampleStatistics';
import type { SpeedUp } from './speedUps';
import type { StudyData } from './studyData';
import type { TableCell } from './studyTable';
import type { TargetCell } from './targetCells';
import type { Measure } from './timeToTarget';

/**
 * The words and number formats every renderer shares, so the Markdown, CSV headers and HTML say the
 * same thing: error % with one decimal as the paper prints it, losses with three significant digits.
 */

export function formatResult(value: number, task: StudyData['task']): string {
  if (task === 'classification') return value.toFixed(1);
  return value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5) ? value.toExponential(2) : String(Number(value.toPrecision(3)));
}

/** `mean ± sd`, or the mean alone for one seed. */
export function formatStat(stat: Stat | null, task: StudyData['task']): string {
  if (stat === null) return '—';
  return stat.sd === null ? formatResult(stat.mean, task) : `${formatResult(stat.mean, task)} ± ${formatResult(stat.sd, task)}`;
}

/** What the table's two numbers are. */
export function resultHeading(task: StudyData['task']): string {
  return task === 'classification' ? 'Train error % / validation error %' : 'Train loss / validation loss';
}

export function resultExplanation(task: StudyData['task']): string {
  return task === 'classification'
    ? 'Mean ± sd over seeds of the error, 100 · (1 − accuracy): train from the final model evaluated on its training examples (the subset when trainSize is set), validation at the last epoch.'
    : 'Mean ± sd over seeds of the final model’s loss on its training examples (the subset when trainSize is set) and the last validation loss.';
}

/** What the best-cell mark means, after `marker` (how the renderer marks it). */
export function bestCellExplanation(task: StudyData['task'], marker: string): string {
  return (
    `${marker} each row’s lowest mean ${validationWord(task)} among its cells with the fewest failed runs. ` +
    'An optimizer with a learning-rate grid shows, per architecture, the rate with the best mean validation result.'
  );
}

export function randomExplanation(random: RandomArchitectureSummary, seeds: number): string {
  const unfinished = random.unfinished > 0 ? `, ${random.unfinished} left out as unfinished` : '';
  return (
    `${plural(random.architectures, 'architecture')} × ${plural(seeds, 'seed')}: ${plural(random.problems, 'problem')} counted ` +
    `(runs paired by seed, at each optimizer’s chosen learning rate)${unfinished}. The lowest value wins; a shared lowest value is a tie; ` +
    'a run that diverged or failed never wins.'
  );
}

/** Null when every problem had a winner or a tie. */
export function noWinnerText(random: RandomArchitectureSummary, task: StudyData['task']): string | null {
  const { byTrainLoss, byValidation } = random;
  if (byTrainLoss.noWinner + byValidation.noWinner === 0) return null;
  return `No winner (no completed run with the number): ${byTrainLoss.noWinner} by training loss, ${byValidation.noWinner} by ${validationWord(task)}.`;
}

/** The header and rows of the wins table (plain text). */
export function winsTable(random: RandomArchitectureSummary, optimizers: readonly string[], task: StudyData['task']): { header: string[]; rows: string[][] } {
  return {
    header: ['Optimizer', 'Wins by training loss', 'Ties', `Wins by ${validationWord(task)}`, 'Ties', 'Finished runs', 'Diverged', 'Failed'],
    rows: optimizers.map((optimizer, o) => {
      const t = random.byTrainLoss.rows[o]!;
      const v = random.byValidation.rows[o]!;
      const f = random.failures[o]!;
      return [optimizer, ...[t.wins, t.ties, v.wins, v.ties, f.runs, f.diverged, f.failed].map(String)];
    }),
  };
}

export function validationWord(task: StudyData['task']): string {
  return task === 'classification' ? 'validation error' : 'validation loss';
}

/** The measured numbers of a cell, or why there are none. */
export function cellResult(cell: TableCell, task: StudyData['task']): string {
  if (cell.seeds === 0) return cell.diverged + cell.failed > 0 ? 'no completed run' : cell.unfinished > 0 ? 'not finished' : 'no runs';
  return `${formatStat(cell.train, task)} / ${formatStat(cell.validation, task)}`;
}

/** Seeds behind the numbers, failures, unfinished runs and the chosen lr: `2 seeds · 1 diverged · lr 0.1`. */
export function cellNotes(cell: TableCell): string[] {
  const notes = [plural(cell.seeds, 'seed')];
  if (cell.diverged > 0) notes.push(`${cell.diverged} diverged`);
  if (cell.failed > 0) notes.push(`${cell.failed} failed`);
  if (cell.unfinished > 0) notes.push(`${cell.unfinished} unfinished`);
  if (cell.lr !== null) notes.push(`lr ${cell.lr}`);
  return notes;
}

/** `paper (CIFAR-10): 14.1 / 19.9`, or null for a cell the reference does not cover. */
export function referenceNote(cell: TableCell): string | null {
  const r = cell.reference;
  return r === null ? null : `paper (${r.dataset}): ${r.trainError.toFixed(1)} / ${r.valError.toFixed(1)}`;
}

export function targetLabel(target: StudyTarget): string {
  return target.metric === 'trainLoss' ? `Training loss ≤ ${target.value}` : `Validation accuracy ≥ ${target.value}`;
}

/** The spec's form of a target, for CSV headers: `trainLoss<=0.5`, `valAccuracy>=0.9`. */
export function targetKey(target: StudyTarget): string {
  return `${target.metric}${target.metric === 'trainLoss' ? '<=' : '>='}${target.value}`;
}

export function formatTime(measure: Measure, value: number): string {
  return measure === 'seconds' ? `${value.toFixed(1)} s` : `${Math.round(value)} ${measure}`;
}

/** `120 steps · 360 passes · 4.2 s (2/2)` or `not reached (0/2)`. */
export function targetCellText(cell: TargetCell): string {
  const { steps, passes, seconds } = cell.median;
  const reached = `(${cell.reached}/${cell.runs})`;
  if (cell.runs === 0) return 'not finished';
  if (steps === null || passes === null || seconds === null) return `not reached ${reached}`;
  return `${formatTime('steps', steps)} · ${formatTime('passes', passes)} · ${formatTime('seconds', seconds)} ${reached}`;
}

/**
 * `mnist (classification) · 2 epochs · batch 32 · seeds 1, 2`; architectures with their own budget after it:
 * `40 epochs (Basic: 100 epochs)`; the run fields the spec sets after the batch size:
 * `2,000 training / 1,000 validation examples · augmented · batches in a fixed order · He init · diverged on a non-finite loss only`.
 */
export function studySettings(spec: StudySpec, task: StudyData['task']): string {
  const length = (budget: StudyBudget): string => ('epochs' in budget ? plural(budget.epochs, 'epoch') : plural(budget.steps, 'step'));
  const own = spec.architectures.flatMap((a) => ('random' in a || a.budget === undefined ? [] : [`${architectureLabels(a)[0]}: ${length(a.budget)}`]));
  const budget = own.length === 0 ? length(spec.budget) : `${length(spec.budget)} (${own.join(', ')})`;
  const batch = spec.batchSize === 'full' ? 'full batch' : `batch ${spec.batchSize}`;
  const seeds = `${spec.seeds.length === 1 ? 'seed' : 'seeds'} ${spec.seeds.join(', ')}`;
  return [`${spec.dataset} (${task})`, budget, batch, ...runFieldsText(spec), seeds].join(' · ');
}

/** The run fields a study spec sets, in words (none when it leaves them at the runs' defaults). */
function runFieldsText(spec: StudySpec): string[] {
  const count = (n: number | undefined, split: string) => (n === undefined ? [] : [`${n.toLocaleString('en-US')} ${split}`]);
  const subsets = [...count(spec.trainSize, 'training'), ...count(spec.valSize, 'validation')];
  const divergence = spec.divergenceFactor;
  return [
    ...(subsets.length > 0 ? [`${subsets.join(' / ')} examples`] : []),
    ...(spec.augment === undefined ? [] : [spec.augment ? 'augmented' : 'not augmented']),
    ...(spec.shuffle === false ? ['batches in a fixed order'] : []),
    ...(spec.init === 'he' ? ['He init'] : spec.init === 'zeros' ? ['zero init'] : []),
    ...(divergence === undefined ? [] : [divergence === 'off' ? 'diverged on a non-finite loss only' : `diverged above ${divergence.toLocaleString('en-US')}× the first loss`]),
  ];
}

/** `8 runs: 7 completed, 1 diverged`. */
export function runCountText(counts: { status: string; count: number }[]): string {
  const total = counts.reduce((s, c) => s + c.count, 0);
  return `${plural(total, 'run')}: ${counts.map((c) => `${c.count} ${c.status}`).join(', ')}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `0.87× (2)`: the speed-up and the problems behind it; `—` on the diagonal or without any. */
export function speedUpText(s: SpeedUp | null): string {
  return s === null || s.speedUp === null ? '—' : `${s.speedUp.toFixed(2)}× (${s.problems})`;
}

/**
 * A profile as a table (plain text): its fractions at τ = 1, 1.5, 2 and 4 where the grid has them (else
 * at every τ of the grid), one row per optimizer.
 */
export function profileSummary(profile: PerformanceProfile): { header: string[]; rows: string[][] } {
  const shown = profile.taus.filter((t) => [1, 1.5, 2, 4].includes(t));
  const taus = shown.length > 0 ? shown : profile.taus;
  return {
    header: [`By ${measureWords[profile.measure]}`, ...taus.map((tau) => `τ = ${tau}`)],
    rows: profile.curves.map((c) => [c.optimizer, ...taus.map((tau) => c.fractions[profile.taus.indexOf(tau)]!.toFixed(2))]),
  };
}

export const measureWords: Record<Measure, string> = { steps: 'steps', passes: 'network passes', seconds: 'seconds' };

export const timeToTargetExplanation = (window: number): string =>
  `A training-loss target is reached at the first step where the mean batch loss over the last ${window} stored steps is at most the target; ` +
  'a validation-accuracy target at the first epoch end at or above it. Steps count the step that reached it, passes are forward + backward + ' +
  'forward-mode passes, seconds are wall-clock since training started. Each cell: the median over seeds, where a run that diverged, failed or ' +
  'never reached the target counts as never reaching it, and (seeds that reached it / seeds).';

export const profileExplanation = (problems: number): string =>
  `The fraction of the ${plural(problems, 'problem')} (architecture × seed × target, every optimizer finished) each optimizer solves within τ × ` +
  'the fastest optimizer’s time on that problem; a problem no optimizer solves counts against all.';

export const speedUpExplanation =
  'Row against column: the geometric mean of (column’s time / row’s time) over the problems both solved (their number in brackets); above 1 the row is faster.';
