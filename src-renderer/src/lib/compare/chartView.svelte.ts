import type { XRange } from './chartZoom';
import type { PanelOptionOverrides, PanelOptions } from './panelOptions';

/** Where the pointer is: an x that a curve really has (snapped), over which panel, at which y pixel. */
export interface HoverPoint {
  x: number;
  panelId: string;
  /** The pointer's y in the source panel's canvas pixels (the readout there lists the curves nearest it). */
  pixelY: number;
}

/**
 * How the compare panels are viewed, beyond the data: each panel's own settings, the zoom (one x range
 * shared by the linked panels, one of its own for each unlinked panel) and the hover point all panels
 * show. Apart from the panels' settings, none of it rebuilds the plotted data: zoom and hover only
 * move axes and overlays.
 */
export class ChartViewState {
  panelOptions = $state.raw<PanelOptionOverrides>(new Map());
  /** Panels whose x range is their own (unlinked); all others share `linkedZoom`. */
  unlinked = $state.raw<ReadonlySet<string>>(new Set());
  linkedZoom = $state.raw<XRange | null>(null);
  ownZooms = $state.raw<ReadonlyMap<string, XRange>>(new Map());
  hover = $state.raw<HoverPoint | null>(null);

  /**
   * Called after every zoom change with the panel and its new range (null: zoomed out). This is where
   * a loader that fetches the visible range at full resolution plugs in.
   */
  onZoomChange: ((panelId: string, range: XRange | null) => void) | null = null;

  setPanelOption<K extends keyof PanelOptions>(panelId: string, key: K, value: PanelOptions[K]): void {
    const next = new Map(this.panelOptions);
    next.set(panelId, { ...next.get(panelId), [key]: value });
    this.panelOptions = next;
  }

  isLinked(panelId: string): boolean {
    return !this.unlinked.has(panelId);
  }

  /** Unlinking keeps what the panel showed (the shared range) as its own; linking again drops its own. */
  setLinked(panelId: string, linked: boolean): void {
    const unlinked = new Set(this.unlinked);
    const own = new Map(this.ownZooms);
    if (linked) {
      unlinked.delete(panelId);
      own.delete(panelId);
    } else {
      unlinked.add(panelId);
      if (this.linkedZoom) own.set(panelId, this.linkedZoom);
    }
    this.unlinked = unlinked;
    this.ownZooms = own;
  }

  zoomOf(panelId: string): XRange | null {
    return this.isLinked(panelId) ? this.linkedZoom : (this.ownZooms.get(panelId) ?? null);
  }

  /** Zooms a panel (and, when it is linked, every linked panel); null zooms out. */
  setZoom(panelId: string, range: XRange | null): void {
    if (this.isLinked(panelId)) this.linkedZoom = range;
    else {
      const own = new Map(this.ownZooms);
      if (range) own.set(panelId, range);
      else own.delete(panelId);
      this.ownZooms = own;
    }
    this.onZoomChange?.(panelId, range);
  }

  /** Zooms every panel out (a new x-axis makes the old ranges meaningless). */
  resetZoom(): void {
    this.linkedZoom = null;
    this.ownZooms = new Map();
  }
}
