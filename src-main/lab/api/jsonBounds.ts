/**
 * How much structure untrusted JSON may have before it is parsed. JSON.parse builds everything it reads
 * and cannot be stopped: 250 MB of `[{},{},…]` is 60 million objects and minutes of a frozen thread, a
 * small archive entry inflating to 256 MiB of `[],[],…` the same. Counting is cheap, so a request body
 * or an archive entry is counted first, and refused as soon as it passes a bound.
 */
export interface JsonBounds {
  /** Objects and arrays open at once. */
  maxDepth: number;
  /** Values: each object, each array and each separator (a comma) between items or members counts one. */
  maxValues: number;
  /** Objects and arrays, what costs most to build (default: no bound beyond maxValues). */
  maxContainers?: number;
}

/** The bound a text passed. */
export type JsonBound = keyof JsonBounds;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Follows JSON text as UTF-8 bytes, chunk by chunk as it arrives, and says when it passes its bounds.
 * Only structure is followed: strings (escapes included) are skipped at native speed, and whether the
 * text is valid JSON is left to JSON.parse.
 */
export class JsonBoundsCheck {
  private depth = 0;
  private values = 0;
  private containers = 0;
  private inString = false;
  /** Inside a string, the next byte is escaped (the previous chunk ended in an odd run of backslashes). */
  private escapePending = false;

  constructor(private readonly bounds: JsonBounds) {}

  /** What the text so far holds. */
  get counts(): { values: number; containers: number } {
    return { values: this.values, containers: this.containers };
  }

  /** null while the text so far is within the bounds; else the first bound it passed. */
  push(bytes: Uint8Array): JsonBound | null {
    const maxContainers = this.bounds.maxContainers ?? Infinity;
    let i = 0;
    while (i < bytes.length) {
      if (this.inString) {
        i = this.skipString(bytes, i);
        continue;
      }
      const b = bytes[i++]!;
      if (b === QUOTE) {
        this.inString = true;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (++this.depth > this.bounds.maxDepth) return 'maxDepth';
        if (++this.values > this.bounds.maxValues) return 'maxValues';
        if (++this.containers > maxContainers) return 'maxContainers';
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        this.depth--;
      } else if (b === COMMA && ++this.values > this.bounds.maxValues) {
        return 'maxValues';
      }
    }
    return null;
  }

  /** From `from` inside a string: the index after its closing quote (the string ends), or the chunk's end. */
  private skipString(bytes: Uint8Array, from: number): number {
    let at = from;
    for (;;) {
      const quote = bytes.indexOf(QUOTE, at);
      const end = quote < 0 ? bytes.length : quote;
      // An odd run of backslashes right before `end` escapes it; a run from `at` on continues the last chunk's.
      let run = 0;
      while (end - run > at && bytes[end - run - 1] === BACKSLASH) run++;
      if (end - run === at && this.escapePending) run++;
      const escaped = run % 2 === 1;
      this.escapePending = false;
      if (quote < 0) {
        this.escapePending = escaped;
        return bytes.length;
      }
      if (!escaped) {
        this.inString = false;
        return quote + 1;
      }
      at = quote + 1;
    }
  }
}

/** A passed bound in words, to follow "the request body" or an entry's name. */
export function describeJsonBound(bound: JsonBound, bounds: JsonBounds): string {
  switch (bound) {
    case 'maxDepth':
      return `nests objects and arrays more than ${bounds.maxDepth} deep`;
    case 'maxValues':
      return `holds more than ${bounds.maxValues.toLocaleString('en-US')} values (objects, arrays and list items)`;
    case 'maxContainers':
      return `holds more than ${(bounds.maxContainers ?? Infinity).toLocaleString('en-US')} objects and arrays`;
  }
}
