import type { ViewWindow } from '../functions/testFunction';
import type { Vec2 } from '../math/vec2';

/** A view window drawn into a canvas of width × height CSS pixels, y pointing up. */
export interface PlotFrame {
  readonly view: ViewWindow;
  readonly width: number;
  readonly height: number;
}

/**
 * Widens the shorter side of `view` about its centre so that one unit is as long in x as in y: circles
 * stay round and a 30° valley looks like 30°, whatever shape the canvas has.
 */
export function fitViewToAspect(view: ViewWindow, width: number, height: number): ViewWindow {
  const spanX = view.xMax - view.xMin;
  const spanY = view.yMax - view.yMin;
  if (!(width > 0 && height > 0)) return view;
  const canvasAspect = width / height;
  const viewAspect = spanX / spanY;
  const cx = (view.xMin + view.xMax) / 2;
  const cy = (view.yMin + view.yMax) / 2;
  if (viewAspect < canvasAspect) {
    const half = (spanY * canvasAspect) / 2;
    return { xMin: cx - half, xMax: cx + half, yMin: view.yMin, yMax: view.yMax };
  }
  const half = spanX / canvasAspect / 2;
  return { xMin: view.xMin, xMax: view.xMax, yMin: cy - half, yMax: cy + half };
}

export function createPlotFrame(view: ViewWindow, width: number, height: number): PlotFrame {
  return { view: fitViewToAspect(view, width, height), width, height };
}

/** World point → canvas pixel (CSS pixels, origin top left). */
export function toCanvas(frame: PlotFrame, w: Vec2): Vec2 {
  const { view, width, height } = frame;
  return [((w[0] - view.xMin) / (view.xMax - view.xMin)) * width, ((view.yMax - w[1]) / (view.yMax - view.yMin)) * height];
}

/** Canvas pixel → world point; the inverse of toCanvas, for picking a start point with the mouse. */
export function toWorld(frame: PlotFrame, px: number, py: number): Vec2 {
  const { view, width, height } = frame;
  return [view.xMin + (px / width) * (view.xMax - view.xMin), view.yMax - (py / height) * (view.yMax - view.yMin)];
}
