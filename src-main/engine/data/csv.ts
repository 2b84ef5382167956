/**
 * Numeric CSV tables: a header row naming the columns, then one example per line. The `target`
 * option picks what to predict: one column → classification (the column holds class indices
 * 0, 1, 2, …; classes = largest label + 1), several comma-separated columns → regression (targetSize =
 * their count). Every other column is an input feature. A `task` can override the choice, for
 * regression on a single column.
 */
import { DatasetFormatError } from '../errors';
import type { Task } from './dataset';
import { readDatasetFile } from './readDatasetFile';

/** A class label above this is almost surely a mistake (a regression column used as a label). */
export const MAX_CSV_CLASSES = 10_000;

export interface CsvTableOptions {
  /** Target column name(s), comma-separated. */
  target?: string;
  /** Default: classification for one target column, regression for several. */
  task?: Task;
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
  const text = new TextDecoder('utf-8').decode(await readDatasetFile(file));
  return parseCsvTable(text, file, options);
}

export function parseCsvTable(text: string, file: string, options: CsvTableOptions): CsvTable {
  // Line numbers in messages are 1-based and count blank lines, so they match an editor.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  if (headerIndex < 0) throw new DatasetFormatError(file, 'the file is empty: expected a header row of column names');
  const columns = splitCsvLine(lines[headerIndex]).map(unquote);

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

  const capacity = lines.length - headerIndex - 1;
  const features = new Float32Array(capacity * featureColumns.length);
  const targetValues = new Float64Array(capacity * targetColumns.length);
  let n = 0;
  for (let l = headerIndex + 1; l < lines.length; l++) {
    if (lines[l].trim() === '') continue;
    const lineNumber = l + 1;
    const cells = splitCsvLine(lines[l]);
    if (cells.length !== columns.length) {
      throw new DatasetFormatError(
        file,
        `line ${lineNumber}: ragged row with ${cells.length} cells, expected ${columns.length} as in the header`,
      );
    }
    const cellAt = (c: number): number => parseCell(cells[c], file, lineNumber, c, columns[c]);
    featureColumns.forEach((c, j) => (features[n * featureColumns.length + j] = cellAt(c)));
    targetColumns.forEach((c, j) => (targetValues[n * targetColumns.length + j] = cellAt(c)));
    if (task === 'classification') checkClassLabel(targetValues[n], file, lineNumber, targetColumns[0], columns);
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

/** Indices of the target columns named by `target` ("label" or "y1,y2"). */
function resolveTargetColumns(columns: string[], target: string | undefined, file: string): number[] {
  const available = columns.map((name) => JSON.stringify(name)).join(', ');
  if (target === undefined || target.trim() === '') {
    throw new DatasetFormatError(
      file,
      `no target column given: name the column to predict (the target; --target in the CLI): one integer ` +
        `column for classification, or several comma-separated columns for regression; the columns are ${available}`,
    );
  }
  // A header name may itself contain a comma (it was quoted); an exact match wins over splitting.
  const names = columns.includes(target) ? [target] : target.split(',').map((name) => unquote(name));
  const indices: number[] = [];
  for (const name of names) {
    const matches = columns.flatMap((column, c) => (column === name ? [c] : []));
    if (matches.length === 0) {
      throw new DatasetFormatError(file, `unknown target column ${JSON.stringify(name)}; the columns are ${available}`);
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

function parseCell(cell: string, file: string, lineNumber: number, column: number, columnName: string): number {
  const text = unquote(cell);
  if (DECIMAL_NUMBER.test(text)) return Number(text);
  const where = `line ${lineNumber}, column ${column + 1} (${JSON.stringify(columnName)})`;
  const problem = text === '' ? 'empty cell (missing value), expected a number' : `${JSON.stringify(text)} is not a number`;
  throw new DatasetFormatError(file, `${where}: ${problem}`);
}

function checkClassLabel(value: number, file: string, lineNumber: number, column: number, columns: string[]): void {
  const where = `line ${lineNumber}, column ${column + 1} (${JSON.stringify(columns[column])})`;
  if (!Number.isInteger(value) || value < 0) {
    throw new DatasetFormatError(
      file,
      `${where}: class label ${value} is not a non-negative integer (one target column means ` +
        `classification with labels 0, 1, 2, …; for regression on it choose the regression task)`,
    );
  }
  if (value >= MAX_CSV_CLASSES) {
    throw new DatasetFormatError(file, `${where}: class label ${value} is too large (at most ${MAX_CSV_CLASSES} classes)`);
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
