/**
 * A log axis's tick label: "1e−6" at exact powers of ten and nothing at the minor ticks between them
 * (Chart.js's default prints every digit, 0.000000000001, which does not fit a narrow chart).
 */
export function powerOfTenLabel(value: number): string {
  if (!(value > 0) || !Number.isFinite(value)) return '';
  const exponent = Math.round(Math.log10(value));
  if (Math.abs(value / 10 ** exponent - 1) > 1e-9) return '';
  return exponent === 0 ? '1' : `1e${exponent}`.replace('-', '−');
}
