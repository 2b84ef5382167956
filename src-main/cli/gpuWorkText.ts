import type { GpuWorkCounts } from '../engine/webgpu/gpuCounters';

/** A count per step: whole numbers as they are, means to one decimal. */
export function formatGpuCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Bytes as KB (1,024 bytes), to one decimal. */
export function formatKilobytes(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

/** A step's GPU work in a line: "22 dispatches, 2 submits, 0 blocking reads, 1 async read, 2.3 KB uploaded". */
export function describeGpuWork(work: GpuWorkCounts): string {
  const count = (n: number, one: string, many: string): string => `${formatGpuCount(n)} ${n === 1 ? one : many}`;
  return [
    count(work.dispatches, 'dispatch', 'dispatches'),
    count(work.submits, 'submit', 'submits'),
    count(work.blockingReadbacks, 'blocking read', 'blocking reads'),
    count(work.asyncReadbacks, 'async read', 'async reads'),
    `${formatKilobytes(work.bytesUploaded)} KB uploaded`,
  ].join(', ');
}
