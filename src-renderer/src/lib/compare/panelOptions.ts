import type { PanelSpec } from './comparePanels';

/** A panel's own drawing settings (the panel's header toggles). */
export interface PanelOptions {
  /** Whether the toolbar's smoothing applies here (per-step panels only). */
  smooth: boolean;
  logY: boolean;
}

/** The settings the user changed, by panel id; everything else takes panelOptionsFor's defaults. */
export type PanelOptionOverrides = ReadonlyMap<string, Partial<PanelOptions>>;

/**
 * A panel's settings: its overrides over the defaults. Smoothing is on by default for the training loss
 * and accuracy only: an optimizer trace is a setting or a measurement per step (a λ that changes once
 * must show as a step, not as an exponential decay). Log y defaults to the toolbar's choice.
 */
export function panelOptionsFor(spec: PanelSpec, overrides: PanelOptionOverrides | undefined, defaultLogY: boolean): PanelOptions {
  const own = overrides?.get(spec.id);
  return {
    smooth: own?.smooth ?? (spec.id === 'loss' || spec.id === 'accuracy'),
    logY: own?.logY ?? defaultLogY,
  };
}
