import type { RunStatus, StudyDetail, StudyInfo } from '../api/labApi';
import { LabError } from '../api/labErrors';
import type { Store, StudyExperimentRecord } from '../store';

/** Runs in these states have not had their say: the study is not finished while it has one. */
const pendingStatuses: readonly RunStatus[] = ['queued', 'running', 'interrupted'];

export function studyInfo({ experiment, study, statusCounts }: StudyExperimentRecord): StudyInfo {
  return {
    id: experiment.id,
    name: experiment.name,
    spec: study.spec,
    builtIn: study.builtIn,
    createdAt: experiment.createdAt,
    runCount: experiment.runCount,
    statusCounts,
    finished: pendingStatuses.every((s) => !statusCounts[s]),
  };
}

/** The study of experiment `id`, or LabError('not-found') naming it (an experiment that is not a study too). */
export function studyRecord(store: Store, id: number): StudyExperimentRecord {
  const record = store.getStudy(id);
  if (!record) {
    const experiment = store.getExperiment(id);
    throw new LabError('not-found', experiment ? `experiment ${id} (${JSON.stringify(experiment.name)}) is not a study` : `no study with id ${id}`, 'id');
  }
  return record;
}

/** The study with its runs, each with its cell, oldest first (runs without a cell are left out). */
export function studyDetail(store: Store, id: number): StudyDetail {
  const record = studyRecord(store, id);
  const cells = store.studyCells(id);
  const runs = store.listRuns({ experimentId: id }).flatMap((run) => {
    const cell = cells.get(run.id);
    return cell ? [{ ...run, cell }] : [];
  });
  return { study: studyInfo(record), runs };
}
