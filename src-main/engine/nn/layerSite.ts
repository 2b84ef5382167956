import { ModelSpecError } from '../errors';
import type { LayerType } from '../../shared/modelSpec';
import { layerPlace } from './layerPlace';

/**
 * Where a layer sits in a spec: its path ("layers[2].layers[0]"), its unique name and its type. Build-time
 * checks throw through it, so every message names the layer (counted as a person counts, layerPlace) and
 * the offending field.
 */
export class LayerSite {
  constructor(
    readonly path: string,
    readonly name: string,
    readonly type: LayerType,
  ) {}

  /** A ModelSpecError whose message starts with the layer; `message` should start with the field. */
  error(message: string): ModelSpecError {
    return new ModelSpecError(`${layerPlace(this.path)} (${this.type} "${this.name}"): ${message}`, this.path);
  }
}
