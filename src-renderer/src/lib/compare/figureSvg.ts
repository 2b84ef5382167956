import type { Figure, FigureShape } from './panelFigure';

/** A figure as a standalone SVG document (sized in points, so it prints at the size it was drawn). */
export function figureSvg(figure: Figure): string {
  const body = figure.shapes.map(shapeSvg).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${figure.width}pt" height="${figure.height}pt" viewBox="0 0 ${figure.width} ${figure.height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${figure.width}" height="${figure.height}" fill="${figure.background}"/>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}

function shapeSvg(shape: FigureShape): string {
  switch (shape.kind) {
    case 'polyline':
      return `<path data-dataset="${escape(shape.dataset)}" d="${pathData(shape.points)}" fill="none" stroke="${escape(shape.color)}" stroke-width="${shape.width}" stroke-opacity="${shape.opacity}" stroke-linejoin="round"/>`;
    case 'polygon':
      return `<polygon points="${shape.points.map(([x, y]) => `${x},${y}`).join(' ')}" fill="${escape(shape.color)}" fill-opacity="${shape.opacity}" stroke="none"/>`;
    case 'line':
      return `<line x1="${shape.from[0]}" y1="${shape.from[1]}" x2="${shape.to[0]}" y2="${shape.to[1]}" stroke="${escape(shape.color)}" stroke-width="${shape.width}"/>`;
    case 'text':
      return `<text x="${shape.at[0]}" y="${shape.at[1]}" font-size="${shape.size}" fill="${escape(shape.color)}" text-anchor="${shape.anchor}"${shape.bold ? ' font-weight="bold"' : ''}>${escape(shape.text)}</text>`;
  }
}

function pathData(points: [number, number][]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x} ${y}`).join('');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
