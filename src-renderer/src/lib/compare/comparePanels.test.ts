import { expect, test } from 'vitest';
import { panelSpecs } from './comparePanels';

test('classification runs: losses, accuracies, then traces in a fixed order (CurveBall ρ, β, λ together)', () => {
  const panels = panelSpecs([
    { runId: 1, metrics: ['loss', 'accuracy'], traces: ['ratio', 'lambda', 'beta', 'rho'] },
    { runId: 2, metrics: ['loss', 'accuracy'], traces: ['lr', 'momentum'] },
    { runId: 3, metrics: ['loss'], traces: ['zeta', 'cgIterations'] },
  ]);
  expect(panels.map((p) => p.id)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr', 'momentum', 'rho', 'beta', 'lambda', 'ratio', 'cgIterations', 'zeta']);
  expect(panels.find((p) => p.id === 'val_accuracy')?.source).toEqual({ kind: 'epoch', field: 'valAccuracy' });
  expect(panels.find((p) => p.id === 'rho')?.title).toBe('ρ: CurveBall momentum (rho)');
  expect(panels.find((p) => p.id === 'zeta')?.title).toBe('zeta');
  expect(panels.find((p) => p.id === 'lambda')?.source).toEqual({ kind: 'step', series: 'lambda' });
});

test('regression runs have no accuracy panels; an empty selection still has both loss panels', () => {
  expect(panelSpecs([{ runId: 1, metrics: ['loss'], traces: ['lr'] }]).map((p) => p.id)).toEqual(['loss', 'val_loss', 'lr']);
  expect(panelSpecs([]).map((p) => p.id)).toEqual(['loss', 'val_loss']);
});
