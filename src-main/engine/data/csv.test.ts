import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetFormatError } from '../errors';
import { parseCsvTable, readCsvTable, splitCsvLine } from './csv';
import { expectFormatError, useTempDir } from './datasetFiles.testkit';

const FILE = 'table.csv';

/** The DatasetFormatError message of parsing `text`, or a failure if it parses. */
function errorOf(text: string, target?: string): string {
  try {
    parseCsvTable(text, FILE, { target });
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetFormatError);
    return (error as Error).message;
  }
  throw new Error('expected the CSV to be rejected');
}

describe('parseCsvTable: classification', () => {
  // CRLF line ends, quoted header names, a trailing newline, the label in the middle.
  const text = '"a", "b b" ,label,c\r\n1,2,0,-1\r\n3.5,-4,2,1e2\r\n0,.5,1,+7\r\n';

  it('reads features, integer labels and the class count', () => {
    const table = parseCsvTable(text, FILE, { target: 'label' });
    expect(table.task).toBe('classification');
    expect(table.n).toBe(3);
    expect(table.featureNames).toEqual(['a', 'b b', 'c']);
    expect(table.targetNames).toEqual(['label']);
    expect(Array.from(table.features)).toEqual([1, 2, -1, 3.5, -4, 100, 0, 0.5, 7]);
    expect(table.targets).toBeInstanceOf(Int32Array);
    expect(Array.from(table.targets)).toEqual([0, 2, 1]);
    expect(table.numClasses).toBe(3); // largest label 2, plus one
  });

  it('accepts a quoted target name and a quoted header name with spaces', () => {
    expect(parseCsvTable(text, FILE, { target: '"b b"', task: 'regression' }).targetNames).toEqual(['b b']);
  });

  it('rejects a label that is not a non-negative integer, naming line and column', () => {
    expect(errorOf('x,label\n1,0\n2,1.5\n', 'label')).toBe(
      `${FILE}: line 3, column 2: expected a class label, a non-negative integer ` +
        '(one target column means classification with labels 0, 1, 2, …; for regression on it choose the regression task)',
    );
    expect(errorOf('x,label\n1,-1\n', 'label')).toContain('line 2, column 2: expected a class label, a non-negative integer');
    expect(errorOf('x,label\n1,10000\n', 'label')).toBe(`${FILE}: line 2, column 2: expected a class label below 10000 (at most 10000 classes)`);
  });

  it('allows regression on a single column when the task says so', () => {
    const table = parseCsvTable('x,y\n1,0.25\n2,0.5\n', FILE, { target: 'y', task: 'regression' });
    expect(table.task).toBe('regression');
    expect(Array.from(table.targets)).toEqual([0.25, 0.5]);
    expect(table.numClasses).toBe(0);
  });
});

describe('parseCsvTable: regression', () => {
  it('takes several comma-separated target columns as float targets', () => {
    const table = parseCsvTable('t1,f,t2\n0.5,1,-2\n1.5,2,3.25\n', FILE, { target: 't2, t1' });
    expect(table.task).toBe('regression');
    expect(table.featureNames).toEqual(['f']);
    expect(table.targetNames).toEqual(['t2', 't1']);
    expect(Array.from(table.features)).toEqual([1, 2]);
    expect(table.targets).toBeInstanceOf(Float32Array);
    // Rows of (t2, t1), in the order the target option names them.
    expect(Array.from(table.targets)).toEqual([-2, 0.5, 3.25, 1.5]);
  });
});

describe('parseCsvTable: malformed input', () => {
  it('names line and column of a non-numeric or empty cell (blank lines still count)', () => {
    expect(errorOf('a,b,label\n1,2,0\n\n3,x,1\n', 'label')).toBe(`${FILE}: line 4, column 2: expected a decimal number (such as 0.5, -2 or 1e3)`);
    expect(errorOf('a,b,label\n1,,0\n', 'label')).toBe(
      `${FILE}: line 2, column 2: empty cell (missing value), expected a number`,
    );
    expect(errorOf('a,label\nNaN,0\n', 'label')).toContain('line 2, column 1: expected a decimal number');
  });

  it('rejects a ragged row', () => {
    expect(errorOf('a,b,label\n1,2,0\n3,1\n', 'label')).toBe(
      `${FILE}: line 3: ragged row with 2 cells, expected 3 as in the header`,
    );
    expect(errorOf('a,label\n1,0,\n', 'label')).toContain('line 2: ragged row with 3 cells, expected 2');
  });

  it('counts the columns for an unknown target and asks for --target when none is given', () => {
    expect(errorOf('a,b,label\n1,2,0\n', 'lable')).toBe(
      `${FILE}: unknown target column "lable": none of the header row's names is that (the header row has 3 columns)`,
    );
    const missing = errorOf('a,b,label\n1,2,0\n');
    expect(missing).toContain('no target column given: name the column to predict');
    expect(missing).toContain('the header row has 3 columns');
  });

  it('never quotes the file in an error: a secret read as a table stays out of the message', () => {
    const secret = 'API_KEY=sk-live-0123456789';
    const files = [
      `${secret}\n`, // one line: the header, no rows
      `${secret}\nPASSWORD=hunter2\n`, // a header and a row that is no number
      `user,${secret}\nbob,hunter2\n`, // a guessed column as target, the other cells text
      `a,label\n1,${secret}\n`,
      `a,label\n1,2.5\n`, // a number that is no class label: the value is content too
    ];
    for (const text of files) {
      for (const target of [undefined, 'label', 'user', 'nope']) {
        let message = '';
        try {
          parseCsvTable(text, FILE, { target });
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message, `${JSON.stringify(text)} with target ${target}`).toMatch(/^table\.csv: /);
        for (const content of ['API_KEY', 'sk-live', 'hunter2', 'PASSWORD', 'bob', '2.5']) expect(message).not.toContain(content);
      }
    }
  });

  it('rejects an empty file, a header without rows, and a table that is all targets', () => {
    expect(errorOf('', 'label')).toBe(`${FILE}: the file is empty: expected a header row of column names`);
    expect(errorOf('\r\n  \n', 'label')).toContain('the file is empty');
    expect(errorOf('a,label\n\n', 'label')).toBe(`${FILE}: no data rows after the header`);
    expect(errorOf('y1,y2\n1,2\n', 'y1,y2')).toContain('no feature columns left');
  });

  it('rejects a target given twice', () => {
    expect(errorOf('a,y1,y2\n1,2,3\n', 'y1,y1')).toContain('target column "y1" is given twice');
  });
});

describe('splitCsvLine', () => {
  it('splits at commas outside quotes and unescapes doubled quotes', () => {
    expect(splitCsvLine('1,"a,b","say ""hi""",')).toEqual(['1', 'a,b', 'say "hi"', '']);
  });
});

describe('readCsvTable', () => {
  const tmp = useTempDir('csv');

  it('reads a gzipped file with a byte-order mark', async () => {
    const file = await tmp.write('data.csv.gz', gzipSync(Buffer.from('\uFEFFx,label\n4,1\n5,0\n')));
    const table = await readCsvTable(file, { target: 'label' });
    expect(table.featureNames).toEqual(['x']);
    expect(Array.from(table.features)).toEqual([4, 5]);
    expect(Array.from(table.targets)).toEqual([1, 0]);
  });

  it('names the file in errors', async () => {
    const file = await tmp.write('bad.csv', 'x,label\n1,oops\n');
    await expectFormatError(readCsvTable(file, { target: 'label' }), file, 'line 2, column 2: expected a decimal number');
  });
});

describe('parseCsvTable: values and sizes that do not fit', () => {
  it('refuses a value beyond the float32 range, naming its cell, where it would silently become Infinity', () => {
    // The largest float32 is about 3.4028e38; 3.4e38 still fits, 3.5e38 and 1e400 do not.
    expect(Array.from(parseCsvTable('x,label\n3.4e38,0\n-3.4e38,1\n1e-50,0\n', FILE, { target: 'label' }).features)).toEqual([
      Math.fround(3.4e38),
      Math.fround(-3.4e38),
      0,
    ]);
    const beyond = 'a number beyond the range of 32-bit floats (about ±3.4e38), in which CurveLab trains';
    expect(errorOf('x,label\n1,0\n3.5e38,1\n', 'label')).toBe(`${FILE}: line 3, column 1: ${beyond}`);
    expect(errorOf('x,label\n-1e400,0\n', 'label')).toBe(`${FILE}: line 2, column 1: ${beyond}`);
    expect(() => parseCsvTable('x,y\n1,1e39\n', FILE, { target: 'y', task: 'regression' })).toThrow(`${FILE}: line 2, column 2: ${beyond}`);
  });

  it('sizes its arrays by the rows the text can hold, not by its lines: a wide header over many blank lines', () => {
    // 20,000 columns over 100,000 blank lines: as many rows as lines would be 2·10⁹ floats (a RangeError).
    const header = Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(',');
    expect(errorOf(`${header}\n${'\n'.repeat(100_000)}`, 'c0')).toBe(`${FILE}: no data rows after the header`);
    const row = Array.from({ length: 20_000 }, (_, i) => i % 7).join(',');
    const table = parseCsvTable(`${header}\n${'\n'.repeat(50_000)}${row}\n\n${row}\n`, FILE, { target: 'c0' });
    expect(table.n).toBe(2);
    expect(table.features.length).toBe(2 * 19_999);
    expect(Array.from(table.features.subarray(19_999, 19_999 + 7))).toEqual([1, 2, 3, 4, 5, 6, 0]);
  });

  it('counts lines as before: \r\n, \r and \n, blank lines included, a byte-order mark dropped', () => {
    expect(errorOf('\uFEFF\r\nx,label\r\r\n1,0\n\n2,oops\n', 'label')).toBe(`${FILE}: line 6, column 2: expected a decimal number (such as 0.5, -2 or 1e3)`);
  });
});
