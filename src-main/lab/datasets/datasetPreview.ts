import type { DatasetPreview } from '../api/labApi';
import type { Dataset } from '../../engine/data/dataset';

/**
 * The first `count` training examples in a form the UI can draw: images as 0–255 pixels (undoing the
 * standardisation; image inputs were scaled to [0, 1] before it), CSV rows as their original values.
 */
export function datasetPreview(dataset: Dataset, count: number): DatasetPreview {
  const n = Math.min(count, dataset.train.n);
  const size = dataset.inputShape.reduce((a, b) => a * b, 1);
  const lastAxis = dataset.inputShape[dataset.inputShape.length - 1]!;
  const stats = dataset.normalization;
  const original = (value: number, index: number): number => {
    if (!stats) return value;
    const k = index % lastAxis;
    return value * stats.std[k]! + stats.mean[k]!;
  };
  const label = (i: number): string => {
    if (dataset.task === 'regression') {
      const t = dataset.targetSize;
      return Array.from(dataset.train.y.subarray(i * t, (i + 1) * t), (v) => formatNumber(v)).join(', ');
    }
    const cls = dataset.train.y[i]!;
    return dataset.classNames?.[cls] ?? String(cls);
  };

  if (dataset.inputShape.length === 3) {
    const [height, width, channels] = dataset.inputShape as [number, number, number];
    const samples = Array.from({ length: n }, (_, i) => {
      const x = dataset.train.x.subarray(i * size, (i + 1) * size);
      const pixels = Array.from(x, (v, j) => Math.max(0, Math.min(255, Math.round(original(v, j) * 255))));
      return { label: label(i), pixels };
    });
    return { kind: 'images', height, width, channels, samples };
  }

  const inputs = stats?.names ?? Array.from({ length: size }, (_, k) => `x${k}`);
  const targets = dataset.targetNames ?? ['target'];
  const rows = Array.from({ length: n }, (_, i) => {
    const x = dataset.train.x.subarray(i * size, (i + 1) * size);
    return [...Array.from(x, (v, j) => roundToScale(original(v, j), stats?.std[j % lastAxis] ?? 1)), label(i)];
  });
  return { kind: 'table', columns: [...inputs, targets.join(', ')], rows };
}

/**
 * Undoing the standardisation in float32 leaves noise around 1e-7 of the column's spread (a 0 comes
 * back as 8.9e-8): round to six digits of that spread, then to six significant digits.
 */
function roundToScale(value: number, scale: number): number {
  const quantum = 10 ** (Math.floor(Math.log10(Math.max(scale, Number.MIN_VALUE))) - 5);
  const rounded = Math.round(value / quantum) * quantum;
  return Number(rounded.toPrecision(6));
}

function formatNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}
