import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderStudyMarkdown } from './renderStudyMarkdown';
import { tinyStudy } from './studyFixtures.testkit';
import { buildStudyReport } from './studyReport';

/*
 * The tiny study worked out by hand (errors from the fixture's accuracies; training loss read with a
 * window of 2 steps; CurveBall 4 passes and 0.5 s a step, SGD 2 passes and 0.25 s):
 * - Basic, CurveBall: train 12.5, 6.25 → 9.375 ± 4.419; validation 25, 18.75 → 21.875 ± 4.419. Loss ≤ 1
 *   at steps 3 (means 2, 1.75, 1.0) and 4 (2, 1.6, 1.05, 0.75): medians 3.5 steps, 14 passes, 1.75 s.
 * - Basic, SGD: train 25, 18.75 → 21.875 ± 4.419; validation 31.25, 18.75 → 25 ± 8.839. Loss ≤ 1 never
 *   (seed 1) and at step 3 (seed 2): median never.
 * - random 1, CurveBall: train 12.5, 25 → 18.75 ± 8.839; validation 25, 31.25 → 28.125 ± 4.419: the best
 *   of its row although SGD's one completed seed has 25, because SGD's other seed diverged.
 *   Loss ≤ 1 at step 3 and never.
 * - random 1, SGD: 12.5 / 25 from seed 1 (loss ≤ 1 at step 3), seed 2 diverged.
 * Wins on random 1: seed 1 ties (training loss 0.5 each, validation error 25 each), seed 2 CurveBall
 * (SGD diverged). Profiles over 4 problems (Basic and random 1 × 2 seeds): ratios to the best by steps
 * CurveBall 1, 4/3, 1, ∞ and SGD ∞, 1, 1, ∞; by passes (and seconds) CurveBall 1, 16/6, 2, ∞ and SGD
 * ∞, 1, 1, ∞. Speed-up of CurveBall against SGD by steps √(3/4 · 3/3) = 0.866, by passes
 * √(6/16 · 6/12) = 0.433.
 */
const expected = `# tiny

mnist (classification) · 2 epochs · batch 32 · seeds 1, 2 · 8 runs: 7 completed, 1 diverged

## Train error % / validation error %

Mean ± sd over seeds of the error, 100 · (1 − accuracy): train from the final model evaluated on its training examples (the subset when trainSize is set), validation at the last epoch. ★ marks each row’s lowest mean validation error among its cells with the fewest failed runs. An optimizer with a learning-rate grid shows, per architecture, the rate with the best mean validation result.

Cells marked “paper” also give the published numbers (Henriques, Ehrhardt, Albanie, Vedaldi: Small Steps and Giant Leaps (ICCV 2019); CIFAR-10) for comparison; they are not part of the measurements.

| Architecture | CurveBall | SGD |
| --- | --- | --- |
| Basic | ★ 9.4 ± 4.4 / 21.9 ± 4.4 · 2 seeds · paper (CIFAR-10): 15.3 / 19.3 | 21.9 ± 4.4 / 25.0 ± 8.8 · 2 seeds · lr 0.1 · paper (CIFAR-10): 18.9 / 21.1 |
| random 1 | ★ 18.8 ± 8.8 / 28.1 ± 4.4 · 2 seeds | 12.5 / 25.0 · 1 seed · 1 diverged · lr 0.1 |

## Random architectures

1 architecture × 2 seeds: 2 problems counted (runs paired by seed, at each optimizer’s chosen learning rate). The lowest value wins; a shared lowest value is a tie; a run that diverged or failed never wins.

| Optimizer | Wins by training loss | Ties | Wins by validation error | Ties | Finished runs | Diverged | Failed |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| CurveBall | 1 | 1 | 1 | 1 | 2 | 0 | 0 |
| SGD | 0 | 1 | 0 | 1 | 2 | 1 | 0 |

## Time to target

A training-loss target is reached at the first step where the mean batch loss over the last 2 stored steps is at most the target; a validation-accuracy target at the first epoch end at or above it. Steps count the step that reached it, passes are forward + backward + forward-mode passes, seconds are wall-clock since training started. Each cell: the median over seeds, where a run that diverged, failed or never reached the target counts as never reaching it, and (seeds that reached it / seeds).

### Training loss ≤ 1

| Architecture | CurveBall | SGD |
| --- | --- | --- |
| Basic | 4 steps · 14 passes · 1.8 s (2/2) | not reached (1/2) |
| random 1 | not reached (1/2) | not reached (1/2) |

### Performance profiles

The fraction of the 4 problems (architecture × seed × target, every optimizer finished) each optimizer solves within τ × the fastest optimizer’s time on that problem; a problem no optimizer solves counts against all.

| By steps | τ = 1 | τ = 1.5 | τ = 2 | τ = 4 |
| --- | ---: | ---: | ---: | ---: |
| CurveBall | 0.50 | 0.75 | 0.75 | 0.75 |
| SGD | 0.50 | 0.50 | 0.50 | 0.50 |

| By network passes | τ = 1 | τ = 1.5 | τ = 2 | τ = 4 |
| --- | ---: | ---: | ---: | ---: |
| CurveBall | 0.25 | 0.25 | 0.50 | 0.75 |
| SGD | 0.50 | 0.50 | 0.50 | 0.50 |

| By seconds | τ = 1 | τ = 1.5 | τ = 2 | τ = 4 |
| --- | ---: | ---: | ---: | ---: |
| CurveBall | 0.25 | 0.25 | 0.50 | 0.75 |
| SGD | 0.50 | 0.50 | 0.50 | 0.50 |

### Geometric-mean speed-up

Row against column: the geometric mean of (column’s time / row’s time) over the problems both solved (their number in brackets); above 1 the row is faster.

| By steps | CurveBall | SGD |
| --- | --- | --- |
| CurveBall | — | 0.87× (2) |
| SGD | 1.15× (2) | — |

| By network passes | CurveBall | SGD |
| --- | --- | --- |
| CurveBall | — | 0.43× (2) |
| SGD | 2.31× (2) | — |

| By seconds | CurveBall | SGD |
| --- | --- | --- |
| CurveBall | — | 0.43× (2) |
| SGD | 2.31× (2) | — |

## Runs that did not complete

| Run | Architecture | Optimizer | lr | Seed | Status | Why |
| --- | --- | --- | --- | --- | --- | --- |
| 8 | random 1 | SGD | 0.1 | 2 | diverged | the batch loss at step 2 is NaN |
`;

describe('the Markdown report', () => {
  it('renders the tiny study as worked out by hand', () => {
    expect(renderStudyMarkdown(buildStudyReport(tinyStudy(), { trainLossWindow: 2 }))).toBe(expected);
  });

  it('escapes labels so they cannot break the table or become markup', () => {
    expect(escapeMarkdown('a|b <script>*x*</script>\nnext')).toBe('a\\|b \\<script\\>\\*x\\*\\</script\\> next');
    const data = tinyStudy();
    data.optimizers[1] = 'S|G*D';
    for (const run of data.runs) if (run.optimizer === 'SGD') run.optimizer = 'S|G*D';
    const md = renderStudyMarkdown(buildStudyReport(data));
    expect(md).toContain('| Architecture | CurveBall | S\\|G\\*D |');
    expect(md).not.toContain('S|G*D');
  });
});
