import { runSpecLimits } from '$api/labApi';
import { parseError, parsedValue, type Parsed } from '../shell/parsed';

const { maxSeed, maxSeeds } = runSpecLimits;

/**
 * Reads a seed list such as `0, 1,2` or `0-4` (an inclusive range) into distinct seeds in the order
 * given. Commas and spaces both separate entries. The lab's seed limits bound it, so that a range such
 * as 0-999999999 is refused as typed instead of being spelt out.
 */
export function parseSeeds(text: string): Parsed<number[]> {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length === 0) return parseError('seeds: enter at least one seed, e.g. 0 or 0,1,2');
  const seeds: number[] = [];
  for (const part of parts) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    const single = /^\d+$/.test(part);
    if (!range && !single) return parseError(`seeds: "${part}" is not a whole number ≥ 0 or a range like 0-4`);
    const from = Number(range ? range[1] : part);
    const to = Number(range ? range[2] : part);
    if (to > maxSeed) return parseError(`seeds: ${to} is too large (at most ${maxSeed})`);
    if (from > to) return parseError(`seeds: the range ${part} runs backwards`);
    if (seeds.length + (to - from + 1) > maxSeeds) return parseError(`seeds: at most ${maxSeeds} seeds`);
    for (let seed = from; seed <= to; seed++) {
      if (seeds.includes(seed)) return parseError(`seeds: ${seed} is listed twice`);
      seeds.push(seed);
    }
  }
  return parsedValue(seeds);
}
