import type { StudyReportFile, StudyReportFormat } from '../api/labApi';
import { slug } from '../archive/runCsv';
import { renderStudyCsv } from './report/renderStudyCsv';
import { renderStudyHtml } from './report/renderStudyHtml';
import { renderStudyMarkdown } from './report/renderStudyMarkdown';
import type { StudyReport } from './report/studyReport';

const formats: Record<StudyReportFormat, { extension: string; render: (report: StudyReport) => string }> = {
  html: { extension: 'html', render: renderStudyHtml },
  markdown: { extension: 'md', render: renderStudyMarkdown },
  csv: { extension: 'csv', render: renderStudyCsv },
};

/** The format a report file name asks for by its extension (.html, .htm, .md, .markdown, .csv), or null. */
export function reportFormatOf(fileName: string): StudyReportFormat | null {
  const extension = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'html' || extension === 'htm') return 'html';
  if (extension === 'md' || extension === 'markdown') return 'markdown';
  return extension === 'csv' ? 'csv' : null;
}

/** A built report in one format, in a file named after the study: `seed-table-tiny-mnist.html`. */
export function reportFile(report: StudyReport, format: StudyReportFormat): StudyReportFile {
  const { extension, render } = formats[format];
  return { fileName: `${slug(report.name, 'study')}.${extension}`, text: render(report) };
}
