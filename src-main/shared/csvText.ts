/** CSV as RFC 4180 writes it: CRLF line ends, fields quoted when they hold a comma, quote, CR or LF. */

export type CsvValue = string | number | boolean | null | undefined;

/** How a spreadsheet recognises a formula (OWASP, CSV injection): a cell that starts with one of these. */
const formulaStart = /^[=+\-@\t\r]/;
/** Text that is a number as this module writes numbers (a negative one, an infinity): a spreadsheet reads it as that number. */
const numberText = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|Infinity)$/i;

/**
 * One field: null and undefined are empty; numbers in JavaScript's shortest round-trip form (`Infinity`
 * stays a word). Text that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `-1+cmd|…`:
 * names and notes come from users and imported archives) gets a leading `'`, which makes it text;
 * text that is just a number (`-0.5`) stays as it is.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value); // never needs quotes; the common case, kept off the regex
  const raw = String(value);
  const text = formulaStart.test(raw) && !numberText.test(raw) ? `'${raw}` : raw;
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
