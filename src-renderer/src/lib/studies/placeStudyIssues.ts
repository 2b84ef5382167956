import type { FieldIssue } from '$api/labApi';
import type { StudyFormField } from './studyRequest';

/** An issue as shown: where inside its form field (a path into the spec, `optimizers.1.options.lr`; '' for the field itself) and what is wrong. */
export interface ShownIssue {
  where: string;
  message: string;
}

export interface PlacedStudyIssues {
  byField: Partial<Record<StudyFormField, ShownIssue[]>>;
  /** Issues no field of the form shows. */
  general: ShownIssue[];
}

const requestFields: Record<string, StudyFormField> = { builtIn: 'builtIn', scale: 'scale', dataset: 'dataset', target: 'dataset', count: 'count', spec: 'spec' };

/**
 * Puts each of the lab's issues with a study request at the form field that shows it. An issue's field is
 * a dotted path into the request (`spec.optimizers.1.options.lr`, `count`): its head names the field, and
 * the rest, for the spec, says where in the JSON.
 */
export function placeStudyIssues(issues: readonly FieldIssue[]): PlacedStudyIssues {
  const placed: PlacedStudyIssues = { byField: {}, general: [] };
  for (const issue of issues) {
    const [head = '', ...rest] = issue.field.split('.');
    const field = Object.hasOwn(requestFields, head) ? requestFields[head] : undefined;
    if (field === undefined) placed.general.push({ where: issue.field, message: issue.message });
    else (placed.byField[field] ??= []).push({ where: rest.join('.'), message: issue.message });
  }
  return placed;
}
