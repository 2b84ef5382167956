import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../engine/errors';
import { probeBackend } from './probeBackend';

describe('probeBackend (in a training worker)', () => {
  it('reports the backend a named preference gives', async () => {
    const report = await probeBackend('cpu');
    expect(report.name).toBe('cpu');
    expect(report.attempts).toEqual([{ candidate: 'cpu (plain TF.js)', ok: true, detail: 'plain TF.js kernels' }]);
  });

  it('rejects an unknown backend with a user error that lists the valid ones', async () => {
    const refusal = probeBackend('quantum');
    await expect(refusal).rejects.toBeInstanceOf(UserInputError);
    await expect(refusal).rejects.toThrow("unknown backend 'quantum': expected auto or one of tensorflow, webgpu, cpu-blas, cpu");
  });
});
