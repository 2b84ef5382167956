import type { ModelSpec, PresetInfo } from '$api/labApi';
import { parseError, parsedValue, type Parsed } from '../shell/parsed';

/** A preset with its option texts, or a model spec pasted as JSON. */
export type ArchitectureChoice =
  | { kind: 'preset'; preset: PresetInfo | null; values: Record<string, string> }
  | { kind: 'json'; text: string };

/** The `arch` (and `archOptions`) fields of a run spec or a describeArchitecture call. */
export interface ArchitectureFields {
  arch: string | ModelSpec;
  archOptions?: Record<string, string>;
}

/** The form's starting values for a preset: each option's default. */
export function defaultPresetValues(preset: PresetInfo): Record<string, string> {
  return Object.fromEntries(preset.options.map((o) => [o.name, o.default]));
}

/**
 * Reads the choice into run-spec fields. Preset options equal to their default (or left empty) are
 * not sent; a JSON spec must parse and be an object. The engine checks the layers themselves.
 */
export function architectureFields(choice: ArchitectureChoice): Parsed<ArchitectureFields> {
  if (choice.kind === 'preset') {
    if (choice.preset === null) return parseError('architecture: choose a preset');
    const archOptions: Record<string, string> = {};
    for (const option of choice.preset.options) {
      const value = (choice.values[option.name] ?? '').trim();
      if (value !== '' && value !== option.default) archOptions[option.name] = value;
    }
    return parsedValue(Object.keys(archOptions).length === 0 ? { arch: choice.preset.name } : { arch: choice.preset.name, archOptions });
  }
  if (choice.text.trim() === '') return parseError('spec JSON: paste a model spec, e.g. {"layers": [{"type": "flatten"}, {"type": "dense", "units": 10}]}');
  let value: unknown;
  try {
    value = JSON.parse(choice.text);
  } catch (error) {
    return parseError(`spec JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return parseError('spec JSON: expected an object with a "layers" array (and optionally "inputShape")');
  }
  return parsedValue({ arch: value as ModelSpec });
}
