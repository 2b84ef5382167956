/** CSV as RFC 4180 writes it: CRLF line ends, fields quoted when they hold a comma, quote, CR or LF. */

export type CsvValue = string | number | boolean | null | undefined;

/** One field: null and undefined are empty; numbers in JavaScript's shortest round-trip form (`Infinity` stays a word). */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value); // never needs quotes; the common case, kept off the regex
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A header line and one line per row. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [csvLine(header)];
  for (const row of rows) lines.push(csvLine(row));
  return lines.join('');
}
