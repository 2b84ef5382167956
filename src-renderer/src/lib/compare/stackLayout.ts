/** Where each panel image goes on the stacked export canvas. */
export interface StackSlot {
  /** Top of the panel's title line. */
  titleY: number;
  /** Top of the panel's chart image. */
  imageY: number;
}

export interface StackLayout {
  width: number;
  height: number;
  slots: StackSlot[];
}

/**
 * Stacks panel images top to bottom, each under a title line, below a header of `headerHeight` (the
 * legend), with `padding` around everything and between panels (all in the images' own pixels, so the
 * export keeps the screen's resolution).
 */
export function stackLayout(images: readonly { width: number; height: number }[], titleHeight: number, padding: number, headerHeight = 0): StackLayout {
  const slots: StackSlot[] = [];
  let y = padding + headerHeight;
  for (const image of images) {
    slots.push({ titleY: y, imageY: y + titleHeight });
    y += titleHeight + image.height + padding;
  }
  const width = images.reduce((w, image) => Math.max(w, image.width), 0) + 2 * padding;
  return { width, height: images.length === 0 ? 0 : y, slots };
}
