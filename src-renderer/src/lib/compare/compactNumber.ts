/**
 * Numbers for tooltips and legends, short but exact enough to compare curves: four significant digits
 * in the ordinary range, whole numbers from 1000 up, and exponent notation (three significant digits,
 * `1.23e-4`, `4.5e6`) for very small or very large magnitudes such as a damping λ or a loss blowing up.
 */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) {
    const [mantissa, exponent] = value.toExponential(2).split('e');
    return `${trimZeros(mantissa)}e${exponent.replace('+', '')}`;
  }
  if (magnitude >= 1000) return String(Math.round(value));
  return String(Number(value.toPrecision(4)));
}

function trimZeros(mantissa: string): string {
  return mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
}
