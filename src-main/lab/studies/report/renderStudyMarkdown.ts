import {
  bestCellExplanation,
  cellNotes,
  cellResult,
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
  winsTable,
} from './reportText';
import type { StudyReport } from './studyReport';

/**
 * Backslash-escapes what Markdown reads as markup inside a line (labels and paths come from users):
 * emphasis, code, links, raw HTML, table pipes, strikethrough; a line break becomes a space.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, '\\$&').replace(/\r?\n/g, ' ');
}

/** A pipe table; with `numeric`, every column but the first is right-aligned. */
function table(header: string[], rows: string[][], numeric = false): string[] {
  const rule = header.map((_, i) => (numeric && i > 0 ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
}

/** The report as Markdown: the table, random-architecture wins, time-to-target, profiles and speed-ups, the runs that did not complete. */
export function renderStudyMarkdown(report: StudyReport): string {
  const md = escapeMarkdown;
  const { task } = report;
  const optimizers = report.optimizers.map(md);
  const lines: string[] = [`# ${md(report.name)}`, '', `${md(studySettings(report.spec, task))} · ${runCountText(report.runCounts)}`, ''];

  lines.push(`## ${resultHeading(task)}`, '', `${resultExplanation(task)} ${bestCellExplanation(task, '★ marks')}`, '');
  if (report.reference) {
    lines.push(`Cells marked “paper” also give the published numbers (${md(report.reference.source)}; ${md(report.reference.datasets.join(', '))}) for comparison; they are not part of the measurements.`, '');
  }
  const cellText = (cell: StudyReport['table'][number]['cells'][number]) =>
    [`${cell.best ? '★ ' : ''}${cellResult(cell, task)}`, ...[...cellNotes(cell), ...[referenceNote(cell) ?? []].flat()].map(md)].join(' · ');
  lines.push(...table(['Architecture', ...optimizers], report.table.map((row) => [md(row.architecture), ...row.cells.map(cellText)])), '');

  const random = report.random;
  if (random) {
    const wins = winsTable(random, report.optimizers, task);
    lines.push('## Random architectures', '', randomExplanation(random, report.spec.seeds.length), '');
    lines.push(...table(wins.header, wins.rows.map(([optimizer, ...counts]) => [md(optimizer!), ...counts]), true), '');
    const noWinner = noWinnerText(random, task);
    if (noWinner !== null) lines.push(noWinner, '');
  }

  if (report.targets.length > 0) {
    lines.push('## Time to target', '', timeToTargetExplanation(report.trainLossWindow), '');
    for (const target of report.targets) {
      lines.push(`### ${targetLabel(target.target)}`, '');
      lines.push(...table(['Architecture', ...optimizers], target.rows.map((row) => [md(row.architecture), ...row.cells.map(targetCellText)])), '');
    }
    lines.push('### Performance profiles', '', profileExplanation(report.profiles[0]!.problems), '');
    for (const profile of report.profiles) {
      const { header, rows } = profileSummary(profile);
      lines.push(...table(header, rows.map(([optimizer, ...fractions]) => [md(optimizer!), ...fractions]), true), '');
    }
    lines.push('### Geometric-mean speed-up', '', speedUpExplanation, '');
    for (const { measure, pairs } of report.speedUps) {
      lines.push(...table([`By ${measureWords[measure]}`, ...optimizers], pairs.map((row, o) => [optimizers[o]!, ...row.map(speedUpText)])), '');
    }
  }

  const notCompleted = report.runs.filter((r) => r.status !== 'completed');
  if (notCompleted.length > 0) {
    const rows = notCompleted.map((r) => [String(r.runId), md(r.architecture), md(r.optimizer), r.lr === null ? '—' : String(r.lr), String(r.seed), r.status, md(r.error ?? '')]);
    lines.push('## Runs that did not complete', '', ...table(['Run', 'Architecture', 'Optimizer', 'lr', 'Seed', 'Status', 'Why'], rows), '');
  }
  return lines.join('\n');
}
