/**
 * A layer's path in a spec (`layers[3].shortcut[0]`) as a person counts layers: from 1, a residual
 * block's body and shortcut layers after the block's own number (`layer 4 › shortcut layer 1`). Errors
 * name layers this way; their `field` keeps the path.
 */
export function layerPlace(path: string): string {
  return [...path.matchAll(/(layers|shortcut)\[(\d+)\]/g)]
    .map(([, list, index]) => `${list === 'shortcut' ? 'shortcut layer' : 'layer'} ${Number(index) + 1}`)
    .join(' › ');
}
