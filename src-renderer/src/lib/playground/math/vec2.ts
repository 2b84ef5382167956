/** A point or direction in the plane: the playground's parameters w = (x, y). */
export type Vec2 = readonly [number, number];

export function add(a: Vec2, b: Vec2): Vec2 {
  return [a[0] + b[0], a[1] + b[1]];
}

export function subtract(a: Vec2, b: Vec2): Vec2 {
  return [a[0] - b[0], a[1] - b[1]];
}

export function scale(s: number, a: Vec2): Vec2 {
  return [s * a[0], s * a[1]];
}

/** s·a + t·b, the one combination every optimizer step is made of. */
export function combine(s: number, a: Vec2, t: number, b: Vec2): Vec2 {
  return [s * a[0] + t * b[0], s * a[1] + t * b[1]];
}

export function dot(a: Vec2, b: Vec2): number {
  return a[0] * b[0] + a[1] * b[1];
}

export function norm(a: Vec2): number {
  return Math.hypot(a[0], a[1]);
}

export function distance(a: Vec2, b: Vec2): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

export function isFiniteVec(a: Vec2): boolean {
  return Number.isFinite(a[0]) && Number.isFinite(a[1]);
}
