import {
  cellNotes,
  cellResult,
  noWinnerText,
  randomExplanation,
  resultHeading,
  runCountText,
  winsTable,
} from '../lab/studies/report/reportText';
import type { StudyReport } from '../lab/studies/report/studyReport';
import { textTable } from './textTable';

/**
 * A study's report as the terminal shows it: the table (train / validation result per architecture and
 * optimizer, ★ on each row's best), the paper's numbers beside it where the study has them, and for
 * random architectures the wins and failures per optimizer.
 */
export function studyTablesText(report: StudyReport): string {
  const lines = [`${report.name}: ${runCountText(report.runCounts)}`, '', `${resultHeading(report.task)}, mean ± sd over seeds (★ the row's best):`];
  const header = ['Architecture', ...report.optimizers];
  const cellText = (cell: StudyReport['table'][number]['cells'][number]): string => {
    const notes = cellNotes(cell).filter((note) => !/^\d+ seeds?$/.test(note));
    return `${cellResult(cell, report.task)}${cell.best ? ' ★' : ''}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
  };
  lines.push(textTable(header, report.table.map((row) => [row.architecture, ...row.cells.map(cellText)])));
  if (report.reference) {
    lines.push(`The published numbers (${report.reference.source}), for comparison:`);
    const published = report.table.map((row) => {
      const dataset = row.cells.find((cell) => cell.reference)?.reference?.dataset ?? '—';
      return [row.architecture, ...row.cells.map((c) => (c.reference ? `${c.reference.trainError.toFixed(1)} / ${c.reference.valError.toFixed(1)}` : '—')), dataset];
    });
    lines.push(textTable([...header, 'Dataset'], published));
  }
  const random = report.random;
  if (random) {
    const wins = winsTable(random, report.optimizers, report.task);
    lines.push(`Random architectures: ${randomExplanation(random, report.spec.seeds.length)}`);
    lines.push(textTable(wins.header, wins.rows, 1));
    const noWinner = noWinnerText(random, report.task);
    if (noWinner !== null) lines.push(noWinner, '');
  }
  return `${lines.join('\n')}`;
}
