/**
 * A loss, accuracy or optimizer number as the CLI prints it: `digits` decimals, in scientific notation
 * from 1e6 up (a blown-up loss reads 1.790e+19, not twenty digits) and below 1e-3 (λ = 1.000e-5, not
 * 0.0000); '–' for a metric there is none of.
 */
export function formatMetric(value: number | null, digits = 4): string {
  if (value === null) return '–';
  const size = Math.abs(value);
  return value !== 0 && (size >= 1e6 || size < 1e-3) ? value.toExponential(3) : value.toFixed(digits);
}
