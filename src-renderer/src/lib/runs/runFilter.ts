/**
 * The Runs screen's filter box: plain words, matched anywhere in a run's text as before, and comparisons
 * `key op value` on its config and results (`optimizer=curveball lr>0.05 status=completed acc>=90%`).
 *
 * - Operators: `=`, `!=`, `<`, `<=`, `>`, `>=`; spaces around them are allowed (`lr > 0.05`).
 * - Keys (any case): `id`, `status`, `tag`, the results `bestValAccuracy` (`acc`), `valAccuracy`,
 *   `bestValLoss` (`loss`), `valLoss`, `trainLoss`, and every config key (runConfigKeys: `arch`,
 *   `batchSize`, `opt.lr`, …); an option may go by its bare name (`lr`, `widths`).
 * - `=` and `!=` compare numbers as numbers (`lr=0.10` is `lr=0.1`) and anything else as text, ignoring
 *   case; an option the run leaves unset reads `default`. The ordered operators need a number; a value
 *   ending in `%` is a percentage (`acc>90%` is `acc>0.9`); a run without a number there does not match.
 * Mistakes are reported, never thrown: a term that does not parse is left out and named in `errors`, and
 * so is a comparison on a key no run has (unknownFilterKeys).
 */
import type { RunInfo } from '$api/labApi';
import { configKeysOf, configText, configValue, isConfigKey } from './runConfigKeys';

export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface FilterComparison {
  kind: 'compare';
  key: string;
  op: FilterOp;
  value: string;
}

export interface FilterWord {
  kind: 'word';
  word: string;
}

export type FilterTerm = FilterComparison | FilterWord;

export interface RunFilter {
  terms: FilterTerm[];
  /** One message per term that did not parse, naming it. */
  errors: string[];
}

const operator = /(!=|<=|>=|=|<|>)/;

export function parseRunFilter(text: string): RunFilter {
  // Glue `lr > 0.05` into one term before splitting on spaces.
  const tokens = text
    .replace(/\s*(!=|<=|>=|=|<|>)\s*/g, '$1')
    .split(/\s+/)
    .filter((t) => t !== '');
  const terms: FilterTerm[] = [];
  const errors: string[] = [];
  for (const token of tokens) {
    const parts = token.split(operator);
    if (parts.length === 1) {
      terms.push({ kind: 'word', word: token.toLowerCase() });
      continue;
    }
    const [key, op, value] = [parts[0]!, parts[1] as FilterOp, parts.slice(2).join('')];
    if (key === '') errors.push(`“${token}”: a key must come before ${op}`);
    else if (!/^[a-z_][\w.]*$/i.test(key)) errors.push(`“${token}”: “${key}” is not a key name`);
    else if (value === '') errors.push(`“${token}”: a value must come after ${op}`);
    else if (isOrdered(op) && numberOf(value) === null) errors.push(`“${token}”: ${op} needs a number, got “${value}”`);
    else terms.push({ kind: 'compare', key, op, value });
  }
  return { terms, errors };
}

/** Keys of the filter that no run has (a typo, usually): reported beside the parse errors. */
export function unknownFilterKeys(filter: RunFilter, runs: readonly RunInfo[]): string[] {
  const configKeys = configKeysOf(runs);
  const unknown = filter.terms.flatMap((t) => (t.kind === 'compare' && resolveKey(t.key, configKeys) === null ? [t.key] : []));
  return [...new Set(unknown)].map((key) => `no run has a key “${key}”`);
}

/** Whether a run passes one comparison (the words are runRows' business); `configKeys`: configKeysOf the runs filtered. */
export function comparisonMatches(run: RunInfo, term: FilterComparison, configKeys: readonly string[]): boolean {
  const key = resolveKey(term.key, configKeys);
  // A key no run has is a typo: left out like a term that does not parse (unknownFilterKeys reports it).
  if (key === null) return true;
  if (key === 'tag') {
    // One of its tags (=), none of them (!=); tags have no order.
    const tagged = run.tags.some((tag) => tag.toLowerCase() === term.value.toLowerCase());
    return term.op === '=' ? tagged : term.op === '!=' ? !tagged : false;
  }
  const value = key in resultFields ? resultFields[key]!(run) : key === 'id' ? run.id : key === 'status' ? run.status : configValue(run, key);
  const text = key in resultFields || key === 'id' || key === 'status' ? String(value ?? '') : configText(run, key);
  return compare(typeof value === 'number' ? value : text, term.op, term.value);
}

const resultFields: Record<string, (run: RunInfo) => number | null> = {
  bestValAccuracy: (r) => r.bestValAccuracy,
  valAccuracy: (r) => r.valAccuracy,
  bestValLoss: (r) => r.bestValLoss,
  valLoss: (r) => r.valLoss,
  trainLoss: (r) => r.trainLoss,
};
const aliases: Record<string, string> = { acc: 'bestValAccuracy', loss: 'bestValLoss' };

/** The key a filter term names: a result, id/status/tag, a config key, or an option by its bare name; null if none. */
function resolveKey(key: string, configKeys: readonly string[]): string | null {
  const lower = key.toLowerCase();
  if (lower in aliases) return aliases[lower]!;
  const fixed = [...Object.keys(resultFields), 'id', 'status', 'tag'].find((k) => k.toLowerCase() === lower);
  if (fixed) return fixed;
  const config = configKeys.find((k) => k.toLowerCase() === lower) ?? configKeys.find((k) => k.toLowerCase() === `opt.${lower}`) ?? configKeys.find((k) => k.toLowerCase() === `arch.${lower}`);
  return config ?? (isConfigKey(key) ? key : null);
}

function compare(actual: number | string, op: FilterOp, expected: string): boolean {
  const a = typeof actual === 'number' ? actual : numberOf(actual);
  const b = numberOf(expected);
  if (isOrdered(op)) {
    if (a === null || b === null) return false;
    return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  }
  const equal = a !== null && b !== null ? a === b : String(actual).toLowerCase() === expected.toLowerCase();
  return op === '=' ? equal : !equal;
}

function isOrdered(op: FilterOp): boolean {
  return op !== '=' && op !== '!=';
}

/** A finite number, `90%` as 0.9; null for anything else. */
function numberOf(text: string): number | null {
  const percent = text.endsWith('%');
  const body = percent ? text.slice(0, -1) : text;
  if (body.trim() === '') return null;
  const n = Number(body);
  return Number.isFinite(n) ? (percent ? n / 100 : n) : null;
}
