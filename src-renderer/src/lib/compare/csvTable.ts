import { csvDocument } from '$shared/csvText';

/** One CSV column: a header and the (x, y) points it holds. */
export interface CsvColumn {
  header: string;
  points: readonly { x: number; y: number }[];
}

/**
 * A CSV table (RFC 4180): the first column is x, then one column per series. Rows are the sorted union
 * of every column's x values; a column with no point at a row's x leaves that cell empty (series are
 * not interpolated: the file holds exactly what was plotted). If a column has several points at one x,
 * the last one is kept. Numbers are written to float32 precision, the precision the lab sends and
 * training computes in: the shortest decimal that reads back as the same float32 (0.1, not
 * 0.10000000149011612). Lines end in CRLF, as the RFC asks, and the file ends with one.
 */
export function buildCsv(xHeader: string, columns: readonly CsvColumn[]): string {
  const byX = columns.map((c) => new Map(c.points.map((p) => [p.x, p.y])));
  const xs = [...new Set(columns.flatMap((c) => c.points.map((p) => p.x)))].sort((a, b) => a - b);
  const rows = xs.map((x) => [numberCell(x), ...byX.map((m) => (m.has(x) ? numberCell(m.get(x)!) : null))]);
  return csvDocument([xHeader, ...columns.map((c) => c.header)], rows);
}

/** A number as CSV writes it; a non-finite one (nothing to plot) as an empty cell. */
function numberCell(value: number): number | null {
  return Number.isFinite(value) ? shortestFloat32(value) : null;
}

/** The shortest decimal whose float32 is value's float32 (value itself beyond float32's range). */
export function shortestFloat32(value: number): number {
  const single = Math.fround(value);
  if (!Number.isFinite(single)) return value;
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return Number(single.toPrecision(9));
}
