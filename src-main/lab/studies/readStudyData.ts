import { optimizerLabel } from '../../shared/studySpec';
import type { Store } from '../store';
import { studyRows } from './expandStudy';
import { paperSeedTable } from './report/paperSeedTable';
import type { StudyData, StudyRunData } from './report/studyData';
import { studyDetail, studyRecord } from './studyRecords';

/**
 * Points of a run's loss curve the report reads. Time-to-target smooths the batch loss over 20 stored
 * steps, so the curve must resolve well below that: runs of up to 5,000 steps come back step by step,
 * longer ones in equal buckets (a paper-scale ResNet-18 run, 120 epochs of 391 steps: about 10 steps each).
 */
export const reportLossCurvePoints = 5000;

/** A study as its report needs it (StudyData), read from the store: the runs' final numbers, loss curves and epochs. */
export function readStudyData(store: Store, id: number): StudyData {
  const { study, runs } = studyDetail(store, id);
  const { builtIn, task } = studyRecord(store, id).study;
  return {
    name: study.name,
    spec: study.spec,
    task,
    architectures: studyRows(study.spec).map(({ label, random }) => ({ label, random })),
    optimizers: study.spec.optimizers.map(optimizerLabel),
    runs: runs.map(
      (run): StudyRunData => ({
        runId: run.id,
        ...run.cell,
        status: run.status,
        error: run.error,
        final: { trainLoss: run.trainEvalLoss, trainAccuracy: run.trainEvalAccuracy, valLoss: run.valLoss, valAccuracy: run.valAccuracy },
        lossCurve: store.readRunCurve(run, { series: 'loss', maxPoints: reportLossCurvePoints }),
        epochs: store.readEpochMetrics(run.id),
      }),
    ),
    ...(builtIn?.name === 'seed-table' ? { reference: paperSeedTable } : {}),
  };
}
