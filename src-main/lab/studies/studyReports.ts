import type { StudyReportFile, StudyReportFormat } from '../api/labApi';
import type { Store } from '../store';
import { readStoredStudy, studyData } from './readStudyData';
import { buildStudyReport, type StudyReport } from './report/studyReport';
import { reportFile } from './studyReportFile';

/**
 * The lab's built study reports, one per study, each kept while the study reads the same from the store
 * (its name and spec, its runs' rows with their status, stored steps and final numbers, and their
 * epochs): a download after a view, or a refresh while nothing trains, neither reads every loss curve
 * again nor rebuilds the report. Those rows are cheap to read next to the curves, and they also show
 * what another process sharing the database has trained meanwhile.
 */
export class StudyReports {
  private readonly built = new Map<number, { state: string; report: StudyReport }>();

  report(store: Store, id: number): StudyReport {
    const stored = readStoredStudy(store, id);
    const state = JSON.stringify(stored);
    const cached = this.built.get(id);
    if (cached?.state === state) return cached.report;
    const report = buildStudyReport(studyData(store, stored));
    this.built.set(id, { state, report });
    return report;
  }

  file(store: Store, id: number, format: StudyReportFormat): StudyReportFile {
    return reportFile(this.report(store, id), format);
  }

  /** The study is gone. */
  forget(id: number): void {
    this.built.delete(id);
  }
}
