import { z } from 'zod';
import type { TableColumn } from '../store';
import { columnKind } from './columnKind';

/**
 * Column values in archive JSON. JSON has no Infinity, but a diverged run can store an infinite loss
 * (SQLite keeps ±Inf; NaN is stored as NULL), so non-finite REALs travel as the strings `Infinity` and
 * `-Infinity`. Which columns are REAL comes from the importing database's schema, so a TEXT value that
 * happens to read `Infinity` stays text.
 */
export type ArchiveValue = string | number | null;

export function encodeValue(value: unknown, column: string): ArchiveValue {
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.isNaN(value) ? null : value > 0 ? 'Infinity' : '-Infinity';
  throw new Error(`column ${column}: a ${typeof value} value cannot go into an archive`);
}

const nonFinite = z.enum(['Infinity', '-Infinity']);
const safeInteger = z.number().int().refine(Number.isSafeInteger, 'expected a safe integer');

/** The schema one column's archived values must match, from the importing database's declaration. */
export function valueSchema(column: TableColumn): z.ZodType<ArchiveValue> {
  let schema: z.ZodType<ArchiveValue>;
  switch (columnKind(column)) {
    case 'integer':
      schema = safeInteger;
      break;
    case 'real':
      schema = z.union([z.number(), nonFinite]);
      break;
    case 'text':
      schema = z.string();
      break;
    case 'any':
      schema = z.union([z.string(), z.number()]);
      break;
  }
  return column.notNull ? schema : schema.nullable();
}

/** An archived value as SQLite should store it (after `valueSchema` accepted it). */
export function decodeValue(value: ArchiveValue, column: TableColumn): string | number | null {
  if (typeof value === 'string' && columnKind(column) === 'real') return value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : value;
  return value;
}
