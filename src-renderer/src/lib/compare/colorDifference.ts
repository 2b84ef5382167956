/** A colour in CIELAB (D65 white), the space CIEDE2000 measures in. */
export interface Lab {
  L: number;
  a: number;
  b: number;
}

/** D65 reference white in XYZ (Y = 1), as sRGB defines it. */
const white = { X: 0.95047, Y: 1, Z: 1.08883 };

/** `#rrggbb` (sRGB) to CIELAB: undo the sRGB transfer curve, go to XYZ, then to Lab. */
export function srgbHexToLab(hex: string): Lab {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new RangeError(`srgbHexToLab: expected a colour as #rrggbb, got ${JSON.stringify(hex)}`);
  const [r, g, b] = match.slice(1).map((h) => linearize(parseInt(h, 16) / 255));
  const X = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  const Y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const Z = 0.0193339 * r + 0.119192 * g + 0.9503041 * b;
  const fx = labF(X / white.X);
  const fy = labF(Y / white.Y);
  const fz = labF(Z / white.Z);
  return { L: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz) };
}

function linearize(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function labF(t: number): number {
  const delta = 6 / 29;
  return t > delta ** 3 ? Math.cbrt(t) : t / (3 * delta * delta) + 4 / 29;
}

const deg = Math.PI / 180;

/**
 * The CIEDE2000 colour difference (kL = kC = kH = 1), following Sharma, Wu & Dalal, "The CIEDE2000
 * Color-Difference Formula: Implementation Notes, Supplementary Test Data, and Mathematical
 * Observations" (2005), including their notes on hue angles when a chroma is 0 and on the mean hue
 * across the 0°/360° seam. About 1 is a just-noticeable difference; about 20 reads as "another colour".
 */
export function ciede2000(lab1: Lab, lab2: Lab): number {
  const C1 = Math.hypot(lab1.a, lab1.b);
  const C2 = Math.hypot(lab2.a, lab2.b);
  const Cbar7 = ((C1 + C2) / 2) ** 7;
  const G = 0.5 * (1 - Math.sqrt(Cbar7 / (Cbar7 + 25 ** 7)));
  const a1 = (1 + G) * lab1.a;
  const a2 = (1 + G) * lab2.a;
  const Cp1 = Math.hypot(a1, lab1.b);
  const Cp2 = Math.hypot(a2, lab2.b);
  const hp1 = hueDegrees(lab1.b, a1);
  const hp2 = hueDegrees(lab2.b, a2);
  const chromaProduct = Cp1 * Cp2;

  const dL = lab2.L - lab1.L;
  const dC = Cp2 - Cp1;
  let dh = 0;
  if (chromaProduct !== 0) {
    dh = hp2 - hp1;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dH = 2 * Math.sqrt(chromaProduct) * Math.sin((dh / 2) * deg);

  const Lbar = (lab1.L + lab2.L) / 2;
  const Cbar = (Cp1 + Cp2) / 2;
  let hbar = hp1 + hp2;
  if (chromaProduct !== 0) {
    if (Math.abs(hp1 - hp2) <= 180) hbar /= 2;
    else hbar = hbar < 360 ? (hbar + 360) / 2 : (hbar - 360) / 2;
  }
  const T =
    1 - 0.17 * Math.cos((hbar - 30) * deg) + 0.24 * Math.cos(2 * hbar * deg) + 0.32 * Math.cos((3 * hbar + 6) * deg) - 0.2 * Math.cos((4 * hbar - 63) * deg);
  const dTheta = 30 * Math.exp(-(((hbar - 275) / 25) ** 2));
  const RC = 2 * Math.sqrt(Cbar ** 7 / (Cbar ** 7 + 25 ** 7));
  const SL = 1 + (0.015 * (Lbar - 50) ** 2) / Math.sqrt(20 + (Lbar - 50) ** 2);
  const SC = 1 + 0.045 * Cbar;
  const SH = 1 + 0.015 * Cbar * T;
  const RT = -Math.sin(2 * dTheta * deg) * RC;
  const l = dL / SL;
  const c = dC / SC;
  const h = dH / SH;
  return Math.sqrt(l * l + c * c + h * h + RT * c * h);
}

/** The hue angle in [0, 360) degrees; 0 for a neutral colour (both components 0). */
function hueDegrees(b: number, a: number): number {
  if (a === 0 && b === 0) return 0;
  const h = Math.atan2(b, a) / deg;
  return h < 0 ? h + 360 : h;
}
