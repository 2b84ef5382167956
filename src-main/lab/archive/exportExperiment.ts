import { arch, cpus, platform } from 'node:os';
import { LabError } from '../api/labErrors';
import type { Store, TableRow } from '../store';
import { type ArchiveManifest, archiveFormat, archiveFormatVersion } from './archiveManifest';
import { experimentsTable, metricsTable, runsTable, type ArchivedTable } from './archiveTables';
import { encodeValue } from './archiveValues';
import { ArchiveWriter } from './archiveWriter';
import { experimentEntry, manifestEntry, metricTables, metricsEntry, runCsvEntry, runsEntry, type MetricTable } from './entryNames';
import { epochsCsv, runsCsv, slug, stepsCsv, type MetricRows } from './runCsv';

export interface ExportedArchive {
  /** `<experiment-name-slug>-<YYYY-MM-DD>.curvelab` (the export's UTC date). */
  fileName: string;
  bytes: Uint8Array;
}

/** A row as the archive holds it: local columns dropped (and optional ones when NULL), JSON columns parsed, infinities spelled out. */
function archiveRow(spec: ArchivedTable, row: TableRow): TableRow {
  const out: TableRow = {};
  for (const [name, value] of Object.entries(row)) {
    if (spec.local.includes(name) || (spec.optional.includes(name) && value === null)) continue;
    out[name] = name in spec.json && typeof value === 'string' ? (JSON.parse(value) as unknown) : encodeValue(value, `${spec.table}.${name}`);
  }
  return out;
}

/** `{ columns, rows }` with one row per line: compact, yet readable and diffable. */
function metricRowsJson({ columns, rows }: MetricRows): string {
  const lines = rows.map((r) => JSON.stringify(r));
  return `{"columns":${JSON.stringify(columns)},"rows":[${lines.length > 0 ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
}

/**
 * Packs one experiment into a `.curvelab` archive (a zip): manifest.json, experiment.json, runs.json,
 * each run's step, epoch and trace rows (metrics/<run uid>/<table>.json, run ids replaced by uids) and
 * CSV copies for other tools. The store hands out whole rows (SELECT *) so that later migrations'
 * columns travel too. Everything is read in one snapshot, consistent even while runs are recording.
 * Throws LabError('not-found') for an unknown experiment.
 */
export async function exportExperiment(store: Store, experimentId: number, info: { appVersion: string }): Promise<ExportedArchive> {
  return store.archive.snapshot(() => buildArchive(store, experimentId, info.appVersion));
}

function buildArchive(store: Store, experimentId: number, appVersion: string): ExportedArchive {
  const tables = store.archive;
  const experiment = tables.experimentRow(experimentId);
  if (!experiment) throw new LabError('not-found', `no experiment with id ${experimentId}`, 'experimentId');
  const runRows = tables.runRows(experimentId);
  const runs = store.listRuns({ experimentId });
  if (runs.some((r, i) => r.id !== runRows[i]?.id)) throw new Error('exportExperiment: run rows changed while reading');

  const createdAt = new Date().toISOString();
  const writer = new ArchiveWriter();
  writer.add(experimentEntry, `${JSON.stringify(archiveRow(experimentsTable, experiment), null, 2)}\n`);
  writer.add(runsEntry, `${JSON.stringify(runRows.map((r) => archiveRow(runsTable, r)), null, 2)}\n`);

  const totals: Record<MetricTable, number> = { step_metrics: 0, epoch_metrics: 0, trace_values: 0 };
  runs.forEach((run, i) => {
    const byTable = {} as Record<MetricTable, MetricRows>;
    for (const table of metricTables) {
      const { columns: names, rows: stored } = tables.metricRows(table, run.id);
      const keep = names.flatMap((name, k) => (metricsTable(table).local.includes(name) ? [] : [k]));
      const values = stored.map((row) => keep.map((k) => encodeValue(row[k], `${table}.${names[k]}`)));
      byTable[table] = { columns: keep.map((k) => names[k]!), rows: values };
      totals[table] += values.length;
      writer.add(metricsEntry(run.uid, table), metricRowsJson(byTable[table]));
    }
    writer.add(runCsvEntry(i + 1, 'steps'), stepsCsv(byTable.step_metrics, byTable.trace_values));
    writer.add(runCsvEntry(i + 1, 'epochs'), epochsCsv(byTable.epoch_metrics));
  });
  writer.add('csv/runs.csv', runsCsv(runs));

  const manifest: ArchiveManifest = {
    format: archiveFormat,
    formatVersion: archiveFormatVersion,
    appVersion,
    createdAt,
    schemaVersion: tables.schemaVersion(),
    machine: { platform: platform(), arch: arch(), cpuModel: cpus()[0]?.model ?? 'unknown', cpus: cpus().length },
    backends: [...new Set(runs.flatMap((r) => (r.backend === null ? [] : [r.backend])))].sort(),
    datasets: datasetsOf(store, runs.map((r) => r.spec)),
    experiment: { uid: experiment.uid as string, name: experiment.name as string },
    counts: { runs: runs.length, stepMetrics: totals.step_metrics, epochMetrics: totals.epoch_metrics, traceValues: totals.trace_values },
    files: writer.files,
  };
  writer.add(manifestEntry, `${JSON.stringify(manifest, null, 2)}\n`, { listed: false });
  return { fileName: `${slug(manifest.experiment.name, 'experiment')}-${createdAt.slice(0, 10)}.curvelab`, bytes: writer.finish() };
}

/** Each distinct dataset source the runs name, with the registered row's name and content hash where there is one. */
function datasetsOf(store: Store, specs: { dataset: string; target?: string }[]): ArchiveManifest['datasets'] {
  const seen = new Map<string, ArchiveManifest['datasets'][number]>();
  for (const spec of specs) {
    if (seen.has(spec.dataset)) continue;
    // A source registered several times (another CSV target, changed content): the same target first, then the newest.
    const row = store.archive.datasetIdentity(spec.dataset, spec.target ?? null);
    seen.set(spec.dataset, row ? { source: spec.dataset, name: row.name, contentHash: row.contentHash } : { source: spec.dataset });
  }
  return [...seen.values()];
}
