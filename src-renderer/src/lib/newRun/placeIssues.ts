import type { FieldIssue, RunsRequest } from '$api/labApi';
import { archOptionErrorKey, optimizerErrorKey, optionErrorKey, type FormErrors } from './runsRequest';

/** The lab's issues with a request, by the form field that shows each; `general` for those no field shows. */
export interface PlacedIssues {
  errors: FormErrors;
  general: string[];
}

/**
 * Puts each issue next to its field: the issue's field is a dotted path into the request
 * (`optimizers.1.options.lr`), and `request` is the one judged, so an optimizer's index names it.
 */
export function placeIssues(issues: FieldIssue[], request: RunsRequest): PlacedIssues {
  const placed: PlacedIssues = { errors: {}, general: [] };
  for (const issue of issues) {
    const field = formFieldOf(issue.field, request);
    if (field === null) placed.general.push(issue.message);
    // The first issue of a field is the one shown; fixing it brings up the next.
    else placed.errors[field] ??= issue.message;
  }
  return placed;
}

function formFieldOf(path: string, request: RunsRequest): string | null {
  const [head, second, third, fourth] = path.split('.');
  if (head === 'seeds' || head === 'experimentName') return head;
  if (head === 'base') {
    if (second === 'dataset' || second === 'target') return 'dataset';
    if (second === 'arch') return 'architecture';
    if (second === 'archOptions') return third === undefined ? 'architecture' : archOptionErrorKey(third);
    if (second === 'batchSize' || second === 'epochs' || second === 'steps') return second;
    return null;
  }
  if (head === 'optimizers') {
    const optimizer = second === undefined ? undefined : request.optimizers[Number(second)]?.name;
    if (optimizer === undefined) return 'optimizers';
    if ((third === 'options' || third === 'grid') && fourth !== undefined) return optionErrorKey(optimizer, fourth);
    return optimizerErrorKey(optimizer);
  }
  return null;
}
