/** How a dataset source reads in names and labels: `mnist`, or the last part of its path. */
export function datasetName(source: string): string {
  return source.split(/[\\/]/).filter(Boolean).pop() ?? source;
}
