import type { Figure, FigureShape } from './panelFigure';

/**
 * A figure as a one-page PDF (PDF 1.4) drawn with path operators and the standard Helvetica fonts, so
 * it stays vector and needs no embedded font. The file is pure ASCII (text outside it written as octal
 * escapes in WinAnsiEncoding), so string offsets are byte offsets for the cross-reference table.
 */
export function figurePdf(figure: Figure): string {
  const opacities = [...new Set(figure.shapes.flatMap((s) => ('opacity' in s && s.opacity < 1 ? [s.opacity] : [])))];
  const gs = (opacity: number): string => `/GS${opacities.indexOf(opacity)} gs`;
  const h = figure.height;
  const ops: string[] = [`${rgb(figure.background)} rg 0 0 ${figure.width} ${h} re f`];
  for (const shape of figure.shapes) ops.push(shapeOps(shape, h, gs));
  const content = ops.join('\n');
  const extGStates = opacities.map((o, i) => `/GS${i} << /Type /ExtGState /CA ${o} /ca ${o} >>`).join(' ');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${figure.width} ${h}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> /ExtGState << ${extGStates} >> >> >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return pdf;
}

function shapeOps(shape: FigureShape, h: number, gs: (opacity: number) => string): string {
  const pt = ([x, y]: [number, number]): string => `${num(x)} ${num(h - y)}`;
  const path = (points: [number, number][]): string => points.map((p, i) => `${pt(p)} ${i === 0 ? 'm' : 'l'}`).join(' ');
  switch (shape.kind) {
    case 'polyline':
      return `q ${shape.opacity < 1 ? `${gs(shape.opacity)} ` : ''}${rgb(shape.color)} RG ${shape.width} w 1 j ${path(shape.points)} S Q`;
    case 'polygon':
      return shape.points.length < 3 ? '' : `q ${shape.opacity < 1 ? `${gs(shape.opacity)} ` : ''}${rgb(shape.color)} rg ${path(shape.points)} h f Q`;
    case 'line':
      return `q ${rgb(shape.color)} RG ${shape.width} w ${pt(shape.from)} m ${pt(shape.to)} l S Q`;
    case 'text': {
      const width = textWidth(shape.text, shape.size);
      const x = shape.anchor === 'start' ? shape.at[0] : shape.anchor === 'middle' ? shape.at[0] - width / 2 : shape.at[0] - width;
      return `BT ${rgb(shape.color)} rg /${shape.bold ? 'F2' : 'F1'} ${shape.size} Tf ${pt([x, shape.at[1]])} Td (${pdfText(shape.text)}) Tj ET`;
    }
  }
}

/** `r g b` in [0, 1] from `#rgb`, `#rrggbb` or `rgb(…)`; black for anything else. */
export function rgb(color: string): string {
  let parts: number[] | null = null;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const digits = hex[1]!.length === 3 ? [...hex[1]!].map((c) => c + c) : (hex[1]!.match(/../g) ?? []);
    parts = digits.map((d) => parseInt(d, 16));
  }
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(color.trim());
  if (fn) parts = [Number(fn[1]), Number(fn[2]), Number(fn[3])];
  return (parts ?? [0, 0, 0]).map((v) => num(Math.min(255, v) / 255)).join(' ');
}

/** Helvetica's advance widths (per 1000 em) for the characters tick labels are made of; others about average. */
function textWidth(text: string, size: number): number {
  let units = 0;
  for (const c of text) units += /[0-9]/.test(c) ? 556 : /[.,: ]/.test(c) ? 278 : /[-()]/.test(c) ? 333 : /[A-Z]/.test(c) ? 667 : 520;
  return (units * size) / 1000;
}

/** Names a standard font cannot show: Greek letters the optimizers' traces use, spelled out. */
const spelled: Record<string, string> = { α: 'alpha', β: 'beta', γ: 'gamma', λ: 'lambda', μ: 'mu', ρ: 'rho', σ: 'sigma', η: 'eta', '–': '-', '—': '-', '−': '-' };

/** A PDF string literal's body in WinAnsiEncoding: Latin-1 as octal escapes, anything else spelled out or `?`. */
function pdfText(text: string): string {
  let out = '';
  for (const c of [...text].map((ch) => spelled[ch] ?? ch).join('')) {
    const code = c.codePointAt(0)!;
    if (c === '(' || c === ')' || c === '\\') out += `\\${c}`;
    else if (code >= 32 && code < 127) out += c;
    else if (code >= 160 && code <= 255) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += '?';
  }
  return out;
}

function num(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
