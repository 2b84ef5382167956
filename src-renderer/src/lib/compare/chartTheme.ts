/** The theme colours a canvas needs (it cannot use CSS variables itself). */
export interface ChartTheme {
  fg: string;
  muted: string;
  border: string;
  panel: string;
  fontFamily: string;
}

/** Light-theme values, used when the shell's theme.css is not loaded (or in a test page without it). */
export const fallbackChartTheme: ChartTheme = {
  fg: '#1b1f24',
  muted: '#5a6270',
  border: '#d4d8de',
  panel: '#ffffff',
  fontFamily: 'system-ui, sans-serif',
};

/** Reads --fg, --muted, --border, --panel and the font from the element's computed style. */
export function readChartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    fg: read('--fg', fallbackChartTheme.fg),
    muted: read('--muted', fallbackChartTheme.muted),
    border: read('--border', fallbackChartTheme.border),
    panel: read('--panel', fallbackChartTheme.panel),
    fontFamily: style.fontFamily || fallbackChartTheme.fontFamily,
  };
}

/** Calls `onChange` whenever the system switches between light and dark; returns the function that stops. */
export function watchColorScheme(onChange: () => void): () => void {
  if (typeof matchMedia !== 'function') return () => undefined;
  const query = matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
