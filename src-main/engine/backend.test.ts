import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, selectBackend } from './backend';

describe('selectBackend', () => {
  it('describes the chosen backend in one short line, leaving what else was tried to the attempts', async () => {
    const auto = await selectBackend('auto');
    const loaded = auto.attempts.find((a) => a.ok)!;
    expect(auto.reason).toBe(loaded.detail);
    expect(auto.reason).not.toMatch(/passed over|\n/);
    // Every better backend that did not load is still reported, with its reason, before the one that did.
    expect(auto.attempts.at(-1)).toBe(loaded);

    const named = await selectBackend('cpu');
    expect(named).toMatchObject({ name: 'cpu', reason: 'plain TF.js kernels; requested' });
  });

  it('suggests the backend a mistyped name resembles', async () => {
    const refusal = selectBackend('cpu-blsa');
    await expect(refusal).rejects.toThrow(BackendUnavailableError);
    await expect(refusal).rejects.toThrow("unknown backend 'cpu-blsa': expected auto or one of tensorflow, webgpu, cpu-blas, cpu; did you mean cpu-blas?");
  });
});
