/** Small helpers for per-example shapes (plain number arrays). */

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The number of elements of a shape. */
export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** "[8, 8, 3]", for messages. */
export function bracketedShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
