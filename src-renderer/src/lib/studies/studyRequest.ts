import type { BuiltInStudyName, DatasetInfo, StudyRequest, StudyScale, StudySpec } from '$api/labApi';

/** Where a study comes from: a built-in at a scale, or a spec written as JSON. */
export type StudySource = 'built-in' | 'json';

/** The form's fields that can carry an error. */
export type StudyFormField = 'builtIn' | 'scale' | 'dataset' | 'count' | 'spec';

/** The Start a study form as typed. */
export interface StudyForm {
  source: StudySource;
  builtIn: BuiltInStudyName;
  scale: StudyScale;
  /** The registered dataset the built-in runs on. */
  dataset: DatasetInfo | null;
  /** Random architectures to generate (random-architectures only); empty: the built-in's default. */
  countText: string;
  jsonText: string;
}

export type StudyDraft = { ok: true; request: StudyRequest } | { ok: false; errors: Partial<Record<StudyFormField, string>> };

/**
 * The startStudy request the form stands for, or what the form cannot read (text that is not JSON or
 * not a whole number). Whether the study makes sense is the lab's call (checkStudy), not the form's.
 */
export function buildStudyRequest(form: StudyForm): StudyDraft {
  if (form.source === 'json') {
    const spec = readSpec(form.jsonText);
    return 'error' in spec ? { ok: false, errors: { spec: spec.error } } : { ok: true, request: { spec: spec.value } };
  }
  if (form.dataset === null) return { ok: false, errors: { dataset: 'Choose a dataset (add one on the Datasets screen).' } };
  const request: StudyRequest = {
    builtIn: form.builtIn,
    scale: form.scale,
    dataset: form.dataset.source,
    ...(form.dataset.target === null ? {} : { target: form.dataset.target }),
  };
  if (form.builtIn !== 'random-architectures') return { ok: true, request };
  const count = form.countText.trim();
  if (count === '') return { ok: true, request };
  if (!/^\d+$/.test(count)) return { ok: false, errors: { count: `Architectures: expected a whole number, got “${count}”.` } };
  return { ok: true, request: { ...request, count: Number(count) } };
}

/** The text as a JSON object; its fields are for the lab to judge. */
function readSpec(text: string): { value: StudySpec } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'The spec must be a JSON object ({ … }).' };
  return { value: value as StudySpec };
}
