/**
 * A plain-text table: a header, a rule, then the rows, columns padded to their widest cell. Columns
 * from `firstRightAligned` on are right-aligned (numbers).
 */
export function textTable(header: string[], rows: string[][], firstRightAligned = header.length): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => (i >= firstRightAligned ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format)].join('\n') + '\n';
}
