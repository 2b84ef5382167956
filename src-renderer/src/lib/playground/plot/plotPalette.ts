/** An sRGB colour with channels 0…255, for writing pixels directly. */
export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

/** The theme's colours as a canvas needs them: CSS strings for strokes and text, RGB for the band image. */
export interface PlotPalette {
  readonly bg: Rgb;
  readonly accent: Rgb;
  readonly bgCss: string;
  readonly fgCss: string;
  readonly mutedCss: string;
  readonly borderCss: string;
  readonly fontFamily: string;
}

/** theme.css's values, used when a variable is missing (a test page without the shell's styles). */
const fallbacks = {
  light: { '--bg': '#f6f7f9', '--fg': '#1b1f24', '--muted': '#5a6270', '--border': '#d4d8de', '--accent': '#1f5fbf' },
  dark: { '--bg': '#15181d', '--fg': '#e4e7eb', '--muted': '#9aa3af', '--border': '#363c46', '--accent': '#6ea8fe' },
} as const;

export function mixRgb(from: Rgb, to: Rgb, t: number): Rgb {
  return { r: from.r + (to.r - from.r) * t, g: from.g + (to.g - from.g) * t, b: from.b + (to.b - from.b) * t };
}

/**
 * Turns any CSS colour (hex, rgb(), a name, color-mix()…) into RGB by letting the canvas parse it and paint
 * one pixel: the browser's own colour parser, no hand-written one. An unparsable value leaves the
 * fallback painted.
 */
function toRgb(css: string, fallback: string): Rgb {
  const probe = document.createElement('canvas');
  probe.width = 1;
  probe.height = 1;
  const ctx = probe.getContext('2d', { willReadFrequently: true });
  if (!ctx) return { r: 128, g: 128, b: 128 };
  ctx.fillStyle = fallback;
  ctx.fillStyle = css;
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
  return { r, g, b };
}

/** Reads the theme's custom properties as they apply to `element` right now. */
export function readPlotPalette(element: Element): PlotPalette {
  const style = getComputedStyle(element);
  const dark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  const defaults = dark ? fallbacks.dark : fallbacks.light;
  const read = (name: keyof typeof defaults) => style.getPropertyValue(name).trim() || defaults[name];
  return {
    bg: toRgb(read('--bg'), defaults['--bg']),
    accent: toRgb(read('--accent'), defaults['--accent']),
    bgCss: read('--bg'),
    fgCss: read('--fg'),
    mutedCss: read('--muted'),
    borderCss: read('--border'),
    fontFamily: style.fontFamily || 'system-ui, sans-serif',
  };
}

/** Calls `onChange` when the system switches between light and dark; returns the function that stops it. */
export function onColorSchemeChange(onChange: () => void): () => void {
  if (typeof matchMedia !== 'function') return () => undefined;
  const query = matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
