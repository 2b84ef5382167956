import { describe, expect, it } from 'vitest';
import { describeJsonBound, JsonBoundsCheck, type JsonBounds } from './jsonBounds';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Depth, values and containers from the parsed value, as the bounds define them: each container, and each separator between its items. */
function structureOf(value: unknown): { depth: number; values: number; containers: number } {
  if (typeof value !== 'object' || value === null) return { depth: 0, values: 0, containers: 0 };
  const items = Array.isArray(value) ? value : Object.values(value);
  const inner = items.map(structureOf);
  return {
    depth: 1 + Math.max(0, ...inner.map((s) => s.depth)),
    values: 1 + Math.max(0, items.length - 1) + inner.reduce((sum, s) => sum + s.values, 0),
    containers: 1 + inner.reduce((sum, s) => sum + s.containers, 0),
  };
}

/** Passes the text in chunks cut at `cuts`: the first bound passed, in words, or the counts at the end. */
function inChunks(text: Uint8Array, cuts: number[], bounds: JsonBounds): string | { values: number; containers: number } {
  const check = new JsonBoundsCheck(bounds);
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    const passed = check.push(text.subarray(from, cut));
    if (passed !== null) return describeJsonBound(passed, bounds);
    from = cut;
  }
  return check.counts;
}

function issueOf(text: Uint8Array, bounds: JsonBounds): string | null {
  const passed = new JsonBoundsCheck(bounds).push(text);
  return passed === null ? null : describeJsonBound(passed, bounds);
}

const samples = [
  '{"a":[1,2,{"b":"x,y]}"}],"c":"quote \\" [, and backslash \\\\","d":[[[]]],"e":{}}',
  '["\\\\\\"{[,", "\\\\", "\\\\\\\\", "ü,ñ{[", [], {}, [[1, 2], [3, {"k": "v\\\\"}]]]',
  '[{},{},{},{}]',
  '"just a string with , and [ and {"',
  '{"files":[{"fileName":"a,b.csv","base64":"QUJD"},{"fileName":"[x].csv","base64":"RA=="}]}',
];

describe('JsonBoundsCheck', () => {
  it('counts depth and values as the parsed structure has them, wherever the text is cut into chunks', () => {
    for (const sample of samples) {
      const text = bytes(sample);
      const { depth, values, containers } = structureOf(JSON.parse(sample));
      for (let cut = 0; cut <= text.length; cut++) {
        for (const second of [cut, Math.min(text.length, cut + 1), Math.min(text.length, cut + 2)]) {
          const cuts = [cut, second];
          expect(inChunks(text, cuts, { maxDepth: depth, maxValues: values, maxContainers: containers }), `${sample} cut at ${cuts}`).toEqual({ values, containers });
          if (depth > 0) expect(inChunks(text, cuts, { maxDepth: depth - 1, maxValues: values })).toBe(`nests objects and arrays more than ${depth - 1} deep`);
          if (values > 0) expect(inChunks(text, cuts, { maxDepth: depth, maxValues: values - 1 })).toMatch(`holds more than ${(values - 1).toLocaleString('en-US')} values`);
          if (containers > 0) {
            expect(inChunks(text, cuts, { maxDepth: depth, maxValues: values, maxContainers: containers - 1 })).toBe(`holds more than ${containers - 1} objects and arrays`);
          }
        }
      }
    }
  });

  it('stops at the first value past the bound, without reading on', () => {
    const hostile = bytes(`[${'{},'.repeat(1_000_000)}{}]`);
    const started = performance.now();
    expect(issueOf(hostile, { maxDepth: 8, maxValues: 1000 })).toBe('holds more than 1,000 values (objects, arrays and list items)');
    expect(issueOf(bytes('['.repeat(200) + ']'.repeat(200)), { maxDepth: 128, maxValues: 1e6 })).toBe('nests objects and arrays more than 128 deep');
    expect(performance.now() - started).toBeLessThan(500);
  });
});
