import type { LabEvent, RunInfo } from '../api/labApi';
import type { Store } from './store';

/** How often the lab looks at `data_version`: a pragma read, nearly free when nothing changed. */
export const EXTERNAL_POLL_MS = 500;

/**
 * What other processes write into the lab's database (a `curvelab train` in a terminal, another lab on
 * the same file), as the LabEvents the UI already follows. SQLite's `data_version` changes only when
 * another connection commits, so a poll costs one pragma read until then; on a change the runs and
 * experiments are read again and compared with what was seen last: a new or changed run gets a
 * `run-status`, a running run whose stored steps grew a `run-progress` at its newest stored step, a run
 * gone a `run-status` with `run: null`, and a changed experiment list `experiments-changed`. Runs this
 * process trains itself (`ownRun`) are left out: their events come from their recorder.
 */
export class ExternalChanges {
  private version: number;
  private runs: Map<number, RunInfo>;
  private experiments: string;

  constructor(
    private readonly store: Store,
    private readonly ownRun: (runId: number) => boolean,
  ) {
    this.version = store.dataVersion();
    this.runs = this.readRuns();
    this.experiments = this.readExperiments();
  }

  /** The events for what other connections committed since the last poll (none when nothing did). */
  poll(): LabEvent[] {
    const version = this.store.dataVersion();
    if (version === this.version) return [];
    this.version = version;
    const before = this.runs;
    this.runs = this.readRuns();
    const events: LabEvent[] = [];
    for (const [id, run] of this.runs) {
      if (this.ownRun(id)) continue;
      const seen = before.get(id);
      if (seen === undefined || differsBeyondProgress(seen, run)) events.push({ type: 'run-status', runId: id, run });
      if (run.status === 'running' && run.storedSteps > (seen?.storedSteps ?? 0)) {
        const progress = this.progressOf(run);
        if (progress) events.push(progress);
      }
    }
    for (const id of before.keys()) if (!this.runs.has(id) && !this.ownRun(id)) events.push({ type: 'run-status', runId: id, run: null });
    const experiments = this.readExperiments();
    if (experiments !== this.experiments) events.push({ type: 'experiments-changed' });
    this.experiments = experiments;
    return events;
  }

  private progressOf(run: RunInfo): LabEvent | null {
    const latest = this.store.latestStep(run.id);
    if (!latest || run.totalSteps === null) return null;
    return { type: 'run-progress', runId: run.id, totalSteps: run.totalSteps, ...latest };
  }

  private readRuns(): Map<number, RunInfo> {
    return new Map(this.store.listRuns().map((r) => [r.id, r]));
  }

  private readExperiments(): string {
    return JSON.stringify(this.store.listExperiments());
  }
}

/** Whether the run changed in more than its stored step count (which run-progress carries). */
function differsBeyondProgress(a: RunInfo, b: RunInfo): boolean {
  return JSON.stringify({ ...a, storedSteps: 0 }) !== JSON.stringify({ ...b, storedSteps: 0 });
}

/** Polls `changes` every `intervalMs` and hands its events to `emit`; returns the function that stops. */
export function followExternalChanges(changes: ExternalChanges, emit: (event: LabEvent) => void, intervalMs = EXTERNAL_POLL_MS): () => void {
  const timer = setInterval(() => {
    try {
      for (const event of changes.poll()) emit(event);
    } catch (error) {
      console.error('reading changes from other processes failed:', error);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
