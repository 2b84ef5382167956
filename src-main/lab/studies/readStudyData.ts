import { optimizerLabel } from '../../shared/studySpec';
import type { EpochPoint, StudyDetail } from '../api/labApi';
import type { Store } from '../store';
import { studyRows } from './expandStudy';
import { paperSeedTable } from './report/paperSeedTable';
import type { StudyData, StudyRunData } from './report/studyData';
import { studyDetail } from './studyRecords';

/**
 * Points of a run's loss curve the report reads. Time-to-target smooths the batch loss over 20 stored
 * steps, so the curve must resolve well below that: runs of up to 5,000 steps come back step by step,
 * longer ones in equal buckets (a paper-scale ResNet-18 run, 120 epochs of 391 steps: about 10 steps each).
 */
export const reportLossCurvePoints = 5000;

/** What a study's report rests on besides the loss curves: the study with its runs' rows, and each run's epochs. */
export interface StoredStudy {
  detail: StudyDetail;
  /** In the order of `detail.runs`. */
  epochs: EpochPoint[][];
}

export function readStoredStudy(store: Store, id: number): StoredStudy {
  const detail = studyDetail(store, id);
  return { detail, epochs: detail.runs.map((run) => store.readEpochMetrics(run.id)) };
}

/** A study as its report needs it (StudyData): the stored study with its runs' loss curves read from the store. */
export function studyData(store: Store, { detail, epochs }: StoredStudy): StudyData {
  const { study, runs } = detail;
  return {
    name: study.name,
    spec: study.spec,
    task: study.task,
    architectures: studyRows(study.spec).map(({ label, random }) => ({ label, random })),
    optimizers: study.spec.optimizers.map(optimizerLabel),
    runs: runs.map(
      (run, k): StudyRunData => ({
        runId: run.id,
        ...run.cell,
        status: run.status,
        error: run.error,
        final: { trainLoss: run.trainEvalLoss, trainAccuracy: run.trainEvalAccuracy, valLoss: run.valLoss, valAccuracy: run.valAccuracy },
        lossCurve: store.readRunCurve(run, { series: 'loss', maxPoints: reportLossCurvePoints }),
        epochs: epochs[k]!,
      }),
    ),
    ...(study.builtIn?.name === 'seed-table' ? { reference: paperSeedTable } : {}),
  };
}

export function readStudyData(store: Store, id: number): StudyData {
  return studyData(store, readStoredStudy(store, id));
}
