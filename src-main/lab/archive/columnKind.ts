import type { TableColumn } from '../store';

/** How a column's values are checked on import: SQLite's type affinity rules, simplified to what the schema uses. */
export type ColumnKind = 'integer' | 'real' | 'text' | 'any';

export function columnKind(column: TableColumn): ColumnKind {
  const type = column.type;
  if (type.includes('INT')) return 'integer';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'text';
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return 'real';
  return 'any';
}
