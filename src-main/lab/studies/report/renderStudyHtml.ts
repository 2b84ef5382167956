import { escapeHtml as h } from './htmlText';
import {
  bestCellExplanation,
  cellNotes,
  cellResult,
  formatResult,
  measureWords,
  noWinnerText,
  profileSummary,
  profileExplanation,
  randomExplanation,
  referenceNote,
  resultExplanation,
  resultHeading,
  runCountText,
  speedUpExplanation,
  speedUpText,
  studySettings,
  targetCellText,
  targetLabel,
  timeToTargetExplanation,
  validationWord,
  winsTable,
} from './reportText';
import type { StudyReport } from './studyReport';
import { renderSvgPlot, type PlotLine } from './svgPlot';
import type { CurveSeries } from './learningCurves';

/** Okabe–Ito colours (told apart with colour-blindness) and dash patterns (told apart in a grey print). */
const colors = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];
const dashes = ['', '7 4', '2 3', '9 3 2 3'];
const lineStyle = (o: number) => ({ color: colors[o % colors.length]!, dash: dashes[o % dashes.length]! });

const style = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #fff; margin: 0 auto; padding: 24px 32px 48px; max-width: 1200px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
p { margin: 6px 0 10px; max-width: 75em; }
.settings { color: #555; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #d0d0d0; padding: 5px 9px; text-align: left; vertical-align: top; }
th { background: #f3f3f5; font-weight: 600; }
tbody th { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.study-table td { min-width: 150px; }
.result { font-variant-numeric: tabular-nums; font-size: 15px; }
.best { background: #eaf4ea; }
.best .result { font-weight: 700; }
.notes { color: #555; font-size: 12.5px; }
.failures { color: #b00020; }
.paper { color: #6b5b00; font-size: 12.5px; font-style: italic; }
.plots { display: flex; flex-wrap: wrap; gap: 12px 24px; }
.plot { max-width: 100%; height: auto; }
.plot text { font: 12px system-ui, sans-serif; fill: #222; }
.plot .plot-title { font-weight: 600; font-size: 13px; }
.plot .grid { stroke: #e6e6e6; }
.plot .axis { stroke: #777; }
.plot .frame { fill: none; stroke: #999; }
.plot .series { fill: none; stroke-width: 2; }
.runs th, .runs td { font-size: 13px; padding: 3px 8px; }
.runs td { white-space: nowrap; }
.runs td.error-text { color: #b00020; white-space: normal; min-width: 12em; }
@media print {
  body { padding: 0; font-size: 10pt; max-width: none; }
  .study-table td { min-width: 0; }
  .result { font-size: 10.5pt; }
  h2 { break-after: avoid; }
  table, .plot, .architecture { break-inside: avoid; }
  .best { background: #eaf4ea; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** `header` and `rows` are HTML already (cells escaped by whoever made them). */
function tableHtml(header: string[], rows: string[][], attributes = ''): string {
  const head = `<tr>${header.map((c) => `<th>${c}</th>`).join('')}</tr>`;
  return `<table${attributes}><thead>${head}</thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>`;
}

const td = (html: string, className = '') => `<td${className === '' ? '' : ` class="${className}"`}>${html}</td>`;
const num = (value: string | number) => td(h(String(value)), 'num');

function curveLines(series: CurveSeries[]): PlotLine[] {
  return series.map((s, o) => ({
    label: `${s.optimizer}${s.lr === null ? '' : ` (lr ${s.lr})`}, ${s.runs} seed${s.runs === 1 ? '' : 's'}`,
    ...lineStyle(o),
    points: s.points,
  }));
}

/**
 * The report as one self-contained HTML file: it opens offline (inline CSS, plots as inline SVG, no
 * script, font, image or link; a Content-Security-Policy forbids loading anything), prints legibly, and
 * escapes every text it embeds.
 */
export function renderStudyHtml(report: StudyReport): string {
  const { task } = report;
  const body: string[] = [];
  body.push(`<header><h1>${h(report.name)}</h1><p class="settings">${h(studySettings(report.spec, task))} · ${h(runCountText(report.runCounts))}</p></header>`);

  body.push(`<section id="table"><h2>${h(resultHeading(task))}</h2>`);
  body.push(`<p>${h(resultExplanation(task))} ${h(bestCellExplanation(task, '★ and a green background mark'))}</p>`);
  if (report.reference) {
    body.push(`<p class="paper">In italics: the published numbers (${h(report.reference.source)}; ${h(report.reference.datasets.join(', '))}), for comparison only — not part of the measurements.</p>`);
  }
  body.push(
    tableHtml(
      ['Architecture', ...report.optimizers.map(h)],
      report.table.map((row) => [
        `<th>${h(row.architecture)}</th>`,
        ...row.cells.map((cell) => {
          const notes = cellNotes(cell);
          const failing = cell.diverged + cell.failed > 0;
          const paper = referenceNote(cell);
          return td(
            // A line may break at ' / ', never inside `mean ± sd`.
            `<div class="result">${cell.best ? '★ ' : ''}${h(cellResult(cell, task)).replaceAll(' ± ', '&nbsp;±&nbsp;')}</div>` +
              `<div class="notes${failing ? ' failures' : ''}">${h(notes.join(' · '))}</div>` +
              (paper === null ? '' : `<div class="paper">${h(paper)}</div>`),
            cell.best ? 'best' : '',
          );
        }),
      ]),
      ' class="study-table" data-testid="study-table"',
    ),
    '</section>',
  );

  const random = report.random;
  if (random) {
    const wins = winsTable(random, report.optimizers, task);
    body.push(`<section id="random"><h2>Random architectures</h2><p>${h(randomExplanation(random, report.spec.seeds.length))}</p>`);
    body.push(tableHtml(wins.header.map(h), wins.rows.map(([optimizer, ...counts]) => [`<th>${h(optimizer!)}</th>`, ...counts.map(num)])));
    const noWinner = noWinnerText(random, task);
    if (noWinner !== null) body.push(`<p>${h(noWinner)}</p>`);
    body.push('</section>');
  }

  if (report.targets.length > 0) {
    body.push(`<section id="targets"><h2>Time to target</h2><p>${h(timeToTargetExplanation(report.trainLossWindow))}</p>`);
    for (const target of report.targets) {
      body.push(`<h3>${h(targetLabel(target.target))}</h3>`);
      body.push(tableHtml(['Architecture', ...report.optimizers.map(h)], target.rows.map((row) => [`<th>${h(row.architecture)}</th>`, ...row.cells.map((c) => td(h(targetCellText(c))))])));
    }
    body.push(`<h3>Performance profiles</h3><p>${h(profileExplanation(report.profiles[0]!.problems))}</p><div class="plots">`);
    for (const profile of report.profiles) {
      body.push(
        renderSvgPlot({
          title: `Performance profile by ${measureWords[profile.measure]}`,
          xLabel: 'τ (× the fastest optimizer’s time)',
          yLabel: 'fraction of problems solved',
          xDomain: [profile.taus[0]!, profile.taus.at(-1)!],
          // A little beyond 0 and 1, so a profile at 1 (or 0) is not hidden by the frame.
          yDomain: [-0.02, 1.02],
          yScale: 'linear',
          lines: profile.curves.map((c, o) => ({ label: c.optimizer, ...lineStyle(o), shape: 'steps', points: profile.taus.map((tau, i) => ({ x: tau, y: c.fractions[i]! })) })),
        }),
      );
    }
    body.push('</div><div class="plots">');
    for (const profile of report.profiles) {
      const { header, rows } = profileSummary(profile);
      body.push(tableHtml(header.map(h), rows.map(([optimizer, ...fractions]) => [`<th>${h(optimizer!)}</th>`, ...fractions.map(num)])));
    }
    body.push('</div>');
    body.push(`<h3>Geometric-mean speed-up</h3><p>${h(speedUpExplanation)}</p><div class="plots">`);
    for (const { measure, pairs } of report.speedUps) {
      body.push(
        tableHtml(
          [`By ${h(measureWords[measure])}`, ...report.optimizers.map(h)],
          pairs.map((row, o) => [`<th>${h(report.optimizers[o]!)}</th>`, ...row.map((s) => num(speedUpText(s)))]),
        ),
      );
    }
    body.push('</div></section>');
  }

  body.push('<section id="curves"><h2>Learning curves</h2>');
  body.push(
    '<p>Per architecture, each optimizer at its chosen learning rate, mean over its completed seeds: the batch training loss on a common step grid ' +
      `(interpolated, where every seed has a value) and the ${h(validationWord(task))} at each epoch end.</p>`,
  );
  for (const arch of report.curves) {
    body.push(`<div class="architecture"><h3>${h(arch.architecture)}</h3><div class="plots">`);
    body.push(renderSvgPlot({ title: `${arch.architecture}: training loss`, xLabel: 'step', yLabel: 'training loss', lines: curveLines(arch.trainLoss) }));
    body.push(
      renderSvgPlot({
        title: `${arch.architecture}: ${validationWord(task)}`,
        xLabel: 'step',
        yLabel: task === 'classification' ? 'validation error %' : 'validation loss',
        lines: curveLines(arch.validation),
      }),
    );
    body.push('</div></div>');
  }
  body.push('</section>');

  const targets = report.spec.targets ?? [];
  body.push('<section id="runs"><h2>Runs</h2>');
  if (targets.length > 0) body.push('<p>Steps to each target as the run’s own curves say; the study counts a run that diverged or failed as never reaching one.</p>');
  body.push(
    tableHtml(
      ['Run', 'Architecture', 'Optimizer', 'lr', 'Seed', 'Status', `Train ${task === 'classification' ? 'error %' : 'loss'}`, `Validation ${task === 'classification' ? 'error %' : 'loss'}`, ...targets.map((t) => `${h(targetLabel(t))}<br>(steps)`), 'Why it ended'],
      report.runs.map((r) => [
        num(r.runId),
        td(h(r.architecture)),
        td(h(r.optimizer)),
        num(r.lr === null ? '—' : r.lr),
        num(r.seed),
        td(h(r.status), r.status === 'completed' ? '' : 'failures'),
        num(r.train === null ? '—' : formatResult(r.train, task)),
        num(r.validation === null ? '—' : formatResult(r.validation, task)),
        ...r.targets.map((t) => num(t === null ? '—' : Math.round(t.steps))),
        td(h(r.error ?? ''), 'error-text'),
      ]),
      ' class="runs"',
    ),
    '</section>',
  );

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(report.name)} — study report</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
