import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEmbeddedMnist } from '../data/embeddedMnist';
import { validateModelSpec } from '../nn/model';
import { layerTypes } from '../nn/specValidation';
import type { ModelSpec } from '../../shared/modelSpec';
import type { RunSpec } from '../../shared/runSpec';
import { buildModel, datasetIO } from './buildModel';
import { train } from './trainer';
import type { StepEvent, TrainEvent } from './trainEvents';

/** The shipped example model specs (examples/specs) and the JSON in their guide (docs/model-spec.md) stay valid. */
const root = path.resolve(import.meta.dirname, '../../..');
const specsDir = path.join(root, 'examples', 'specs');
const exampleFiles = readdirSync(specsDir).filter((name) => name.endsWith('.json')).sort();
const guide = readFileSync(path.join(root, 'docs', 'model-spec.md'), 'utf8');
const guideBlocks = [...guide.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]) as Record<string, unknown>);
const mnist = loadEmbeddedMnist();

describe('the example model specs', () => {
  it('are there: an MLP, a CNN with batch norm and a residual network', () => {
    expect(exampleFiles).toEqual(['cnn-batchnorm.json', 'mlp.json', 'residual.json']);
  });

  it.each(exampleFiles)('%s validates, fits the MNIST shapes and trains one CurveBall step to a finite loss', async (name) => {
    const arch = JSON.parse(readFileSync(path.join(specsDir, name), 'utf8')) as ModelSpec;
    const model = buildModel(arch, {}, datasetIO(mnist));
    expect(model.outputShape).toEqual([10]);
    const spec: RunSpec = {
      dataset: 'mnist', arch, archOptions: {}, optimizer: 'curveball', optimizerOptions: {},
      steps: 1, batchSize: 8, shuffle: true, init: 'default', seed: 0, trainSize: 8, valSize: 8,
    };
    const events: TrainEvent[] = [];
    const done = await train(spec, mnist, { onEvent: (e) => events.push(e), backend: { name: 'cpu', reason: 'test' } });
    expect(done).toMatchObject({ status: 'completed', steps: 1 });
    const steps = events.filter((e): e is StepEvent => e.type === 'step');
    expect(steps).toHaveLength(1);
    // Ten classes at random initial weights: a loss near ln 10, and one step of CurveBall keeps it finite.
    expect(steps[0].loss).toBeGreaterThan(0.5);
    expect(steps[0].loss).toBeLessThan(10);
    expect(Number.isFinite(done.valLoss)).toBe(true);
  });
});

describe('docs/model-spec.md', () => {
  it('documents every layer type under its own heading', () => {
    for (const type of layerTypes) expect(guide, type).toMatch(new RegExp(`^### \`${type}\``, 'm'));
  });

  it('shows only JSON that validates: every model spec builds for MNIST, every layer passes the field checks', () => {
    const specs = guideBlocks.filter((block) => 'layers' in block && !('type' in block));
    expect(specs.length).toBeGreaterThanOrEqual(2);
    const models = specs.map((spec) => buildModel(spec as unknown as ModelSpec, {}, datasetIO(mnist)));
    // The full example's parameters, counted by hand in its table: 416 + 4,672 + 50,240 + 650.
    const full = models.reduce((a, b) => (b.spec.layers.length > a.spec.layers.length ? b : a));
    expect(full.describe().paramCount).toBe(55_978);
    const layers = guideBlocks.filter((block) => 'type' in block);
    expect(new Set(layers.map((layer) => layer.type))).toEqual(new Set(layerTypes));
    for (const layer of layers) validateModelSpec({ inputShape: [28, 28, 1], layers: [layer] });
  });
});
