/**
 * Names a moment (no `start`) or a span (from `start`, performance.now() time, to now) in the page's
 * performance timeline, for DevTools and `bench:ui --timeline`. Only the latest entry of each name is
 * kept: a view left open redraws for hours, and the timeline keeps every entry until it is cleared.
 */
export function timelineMark(name: string, start?: number): void {
  if (start === undefined) {
    performance.clearMarks(name);
    performance.mark(name);
  } else {
    performance.clearMeasures(name);
    performance.measure(name, { start });
  }
}
