/**
 * Numeric CSV tables: a header row naming the columns, then one example per line. The `target`
 * option picks what to predict: one column → classification (the column holds class indices
 * 0, 1, 2, …; classes = largest label + 1), several comma-separated columns → regression (targetSize =
 * their count). Every other column is an input feature. A `task` can override the choice, for
 * regression on a single column.
 *
 * Errors name the file, the line and the column by number and say what was expected, and never quote
 * the file: whoever asks the lab to read a path may not be allowed to read the file itself (a link to
 * someone's ~/.env must not come back as an error message).
 */
import { constants } from 'node:buffer';
import { DatasetFormatError } from '../errors';
import { maxDatasetFileBytes } from '../memoryLimits';
import type { Task } from './dataset';
import { readDatasetFile } from './readDatasetFile';

/** A class label above this is almost surely a mistake (a regression column used as a label). */
export const MAX_CSV_CLASSES = 10_000;

export interface CsvTableOptions {
  /** Target column name(s), comma-separated. */
  target?: string;
  /** Default: classification for one target column, regression for several. */
  task?: Task;
  /** The most the file may hold, read and decompressed (default maxDatasetFileBytes()); never more than one string holds. */
  maxBytes?: number;
}

export interface CsvTable {
  task: Task;
  n: number;
  featureNames: string[];
  targetNames: string[];
  /** n × featureNames.length values, row-major. */
  features: Float32Array;
  /** Classification: n class indices. Regression: n × targetNames.length values. */
  targets: Int32Array | Float32Array;
  /** Classification: largest label + 1. Regression: 0 (the output size is `targetNames.length`). */
  numClasses: number;
}

const DECIMAL_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export async function readCsvTable(file: string, options: CsvTableOptions): Promise<CsvTable> {
  const maxBytes = Math.min(options.maxBytes ?? maxDatasetFileBytes(), constants.MAX_STRING_LENGTH);
  const text = new TextDecoder('utf-8').decode(await readDatasetFile(file, maxBytes));
  return parseCsvTable(text, file, options);
}

export function parseCsvTable(text: string, file: string, options: CsvTableOptions): CsvTable {
  const lines = csvLines(text);
  let header = lines.next();
  while (!header.done && header.value.text.trim() === '') header = lines.next();
  if (header.done) throw new DatasetFormatError(file, 'the file is empty: expected a header row of column names');
  const columns = splitCsvLine(header.value.text).map(unquote);

  const targetColumns = resolveTargetColumns(columns, options.target, file);
  const task: Task = options.task ?? (targetColumns.length === 1 ? 'classification' : 'regression');
  if (task === 'classification' && targetColumns.length !== 1) {
    throw new DatasetFormatError(file, `classification needs exactly one target column, got ${targetColumns.length}`);
  }
  const isTarget = new Set(targetColumns);
  const featureColumns = columns.map((_, c) => c).filter((c) => !isTarget.has(c));
  if (featureColumns.length === 0) {
    throw new DatasetFormatError(file, 'no feature columns left: every column is a target');
  }

  // A row that parses has a number in each of its cells and a comma between them: at least 2 × columns − 1
  // characters. So the rest of the text bounds the rows, whatever number of (blank) lines it has.
  const capacity = Math.floor((text.length - header.value.end) / (2 * columns.length - 1)) + 1;
  const features = new Float32Array(capacity * featureColumns.length);
  const targetValues = new Float64Array(capacity * targetColumns.length);
  let n = 0;
  for (const { text: line, number: lineNumber } of lines) {
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line);
    if (cells.length !== columns.length) {
      throw new DatasetFormatError(
        file,
        `line ${lineNumber}: ragged row with ${cells.length} cells, expected ${columns.length} as in the header`,
      );
    }
    const cellAt = (c: number): number => parseCell(cells[c], file, lineNumber, c);
    featureColumns.forEach((c, j) => (features[n * featureColumns.length + j] = cellAt(c)));
    targetColumns.forEach((c, j) => (targetValues[n * targetColumns.length + j] = cellAt(c)));
    if (task === 'classification') checkClassLabel(targetValues[n], file, lineNumber, targetColumns[0]);
    n++;
  }
  if (n === 0) throw new DatasetFormatError(file, 'no data rows after the header');

  const table = {
    n,
    featureNames: featureColumns.map((c) => columns[c]),
    targetNames: targetColumns.map((c) => columns[c]),
    features: features.slice(0, n * featureColumns.length),
  };
  if (task === 'regression') {
    return { ...table, task, targets: Float32Array.from(targetValues.subarray(0, n * targetColumns.length)), numClasses: 0 };
  }
  const labels = Int32Array.from(targetValues.subarray(0, n));
  return { ...table, task, targets: labels, numClasses: labels.reduce((max, v) => Math.max(max, v), 0) + 1 };
}

/**
 * The lines of the text (ended by \r\n, \r or \n, a byte-order mark dropped) one at a time, each with
 * where it ends and its number as an editor counts it (from 1, blank lines included). One at a time, so
 * that a file of many short lines does not become as many strings at once.
 */
function* csvLines(text: string): Generator<{ text: string; end: number; number: number }> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lf = -2;
  let cr = -2;
  for (let number = 1; ; number++) {
    if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
    if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
    const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
    if (end === -1) {
      yield { text: text.slice(start), end: text.length, number };
      return;
    }
    yield { text: text.slice(start, end), end, number };
    start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
}

/** Indices of the target columns named by `target` ("label" or "y1,y2"). */
function resolveTargetColumns(columns: string[], target: string | undefined, file: string): number[] {
  const available = `the header row has ${columns.length} column${columns.length === 1 ? '' : 's'}`;
  if (target === undefined || target.trim() === '') {
    throw new DatasetFormatError(
      file,
      `no target column given: name the column to predict (the target; --target in the CLI): one integer ` +
        `column for classification, or several comma-separated columns for regression; ${available}`,
    );
  }
  // A header name may itself contain a comma (it was quoted); an exact match wins over splitting.
  const names = columns.includes(target) ? [target] : target.split(',').map((name) => unquote(name));
  const indices: number[] = [];
  for (const name of names) {
    const matches = columns.flatMap((column, c) => (column === name ? [c] : []));
    if (matches.length === 0) {
      throw new DatasetFormatError(file, `unknown target column ${JSON.stringify(name)}: none of the header row's names is that (${available})`);
    }
    if (matches.length > 1) {
      throw new DatasetFormatError(
        file,
        `target column ${JSON.stringify(name)} is ambiguous: the header has it ${matches.length} times`,
      );
    }
    if (indices.includes(matches[0])) {
      throw new DatasetFormatError(file, `target column ${JSON.stringify(name)} is given twice`);
    }
    indices.push(matches[0]);
  }
  return indices;
}

function parseCell(cell: string, file: string, lineNumber: number, column: number): number {
  const text = unquote(cell);
  if (DECIMAL_NUMBER.test(text)) {
    const value = Number(text);
    // Examples are float32: a larger value would silently become Infinity (and NaN once trained on).
    if (Number.isFinite(Math.fround(value))) return value;
  }
  const problem =
    text === ''
      ? 'empty cell (missing value), expected a number'
      : DECIMAL_NUMBER.test(text)
        ? 'a number beyond the range of 32-bit floats (about ±3.4e38), in which CurveLab trains'
        : 'expected a decimal number (such as 0.5, -2 or 1e3)';
  throw new DatasetFormatError(file, `line ${lineNumber}, column ${column + 1}: ${problem}`);
}

function checkClassLabel(value: number, file: string, lineNumber: number, column: number): void {
  const where = `line ${lineNumber}, column ${column + 1}`;
  if (!Number.isInteger(value) || value < 0) {
    throw new DatasetFormatError(
      file,
      `${where}: expected a class label, a non-negative integer (one target column means ` +
        `classification with labels 0, 1, 2, …; for regression on it choose the regression task)`,
    );
  }
  if (value >= MAX_CSV_CLASSES) {
    throw new DatasetFormatError(file, `${where}: expected a class label below ${MAX_CSV_CLASSES} (at most ${MAX_CSV_CLASSES} classes)`);
  }
}

/** Splits one line at commas outside double quotes ("" inside quotes is a literal quote). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inQuotes) {
      if (ch !== '"') cell += ch;
      else if (line[i + 1] === '"') {
        cell += '"';
        i++;
      } else inQuotes = false;
    } else if (ch === '"') inQuotes = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** Trims a name or cell and removes quotes around it (a --target given as "\"petal width\""). */
function unquote(cell: string): string {
  const trimmed = cell.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}
