/**
 * A number for the legend: four significant digits, switching to exponent form outside 1e-3…1e5 so that
 * CurveBall's 1e-14 and SGD's 3.2 line up in the same column without a wall of zeros.
 */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const magnitude = Math.abs(v);
  if (magnitude < 1e-3 || magnitude >= 1e5) return v.toExponential(2).replaceAll('-', '−');
  return String(Number(v.toPrecision(4))).replaceAll('-', '−');
}
