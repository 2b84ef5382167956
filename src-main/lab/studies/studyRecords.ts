import { runStatusClass, type RunStatus } from '../../shared/runStatus';
import type { StudyDetail, StudyInfo } from '../api/labApi';
import { LabError } from '../api/labErrors';
import type { Store, StudyExperimentRecord } from '../store';

export function studyInfo({ experiment, study, statusCounts }: StudyExperimentRecord): StudyInfo {
  const pending = Object.entries(statusCounts).some(([status, count]) => (count ?? 0) > 0 && runStatusClass(status as RunStatus) === 'pending');
  return {
    id: experiment.id,
    name: experiment.name,
    spec: study.spec,
    builtIn: study.builtIn,
    task: study.task,
    createdAt: experiment.createdAt,
    runCount: experiment.runCount,
    statusCounts,
    finished: !pending,
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
