import { describe, expect, it } from 'vitest';
import { adapterName, describeAdapter, summarizeAdapter } from './adapterKind';

/** Adapter infos as Dawn reports them (lavapipe: taken from this machine; the others from their drivers' names). */
const lavapipe = {
  vendor: 'mesa',
  architecture: 'software',
  device: 'llvmpipe-llvm-15-0-6-256-bits-',
  description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1',
};
const nvidia = { vendor: 'nvidia', architecture: 'lovelace', device: '', description: 'NVIDIA GeForce RTX 4090' };
const swiftShader = { vendor: 'google', architecture: '', device: '', description: 'SwiftShader Device (Subzero)' };
const appleM1 = { vendor: 'apple', architecture: 'metal-3', device: '', description: 'Apple M1 Max' };

describe('summarizeAdapter', () => {
  it('calls lavapipe (Mesa llvmpipe, architecture "software") a CPU', () => {
    expect(summarizeAdapter(lavapipe).isSoftware).toBe(true);
    // Even without the architecture, the name gives it away.
    expect(summarizeAdapter({ ...lavapipe, architecture: '' }).isSoftware).toBe(true);
  });

  it('calls SwiftShader, a CPU adapter type and a fallback adapter CPUs', () => {
    expect(summarizeAdapter(swiftShader).isSoftware).toBe(true);
    expect(summarizeAdapter({ ...nvidia, adapterType: 'CPU' }).isSoftware).toBe(true);
    expect(summarizeAdapter({ ...nvidia, isFallbackAdapter: true }).isSoftware).toBe(true);
    expect(summarizeAdapter(nvidia, true).isSoftware).toBe(true);
  });

  it('calls discrete and integrated GPUs hardware', () => {
    expect(summarizeAdapter(nvidia).isSoftware).toBe(false);
    expect(summarizeAdapter(appleM1).isSoftware).toBe(false);
    expect(summarizeAdapter({ ...nvidia, adapterType: 'discrete GPU' }).isSoftware).toBe(false);
  });

  it('fills missing fields with empty strings', () => {
    expect(summarizeAdapter({})).toEqual({ vendor: '', architecture: '', device: '', description: '', isSoftware: false });
  });
});

describe('adapter names for messages', () => {
  it('shortens "llvmpipe: Mesa …" to llvmpipe, and keeps names without a colon', () => {
    expect(adapterName(summarizeAdapter(lavapipe))).toBe('llvmpipe');
    expect(adapterName(summarizeAdapter(nvidia))).toBe('NVIDIA GeForce RTX 4090');
    expect(adapterName(summarizeAdapter({ vendor: 'acme' }))).toBe('acme');
  });

  it('describes an adapter in one line, saying when it is a CPU', () => {
    expect(describeAdapter(summarizeAdapter(lavapipe))).toBe(
      'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1 (vendor mesa, architecture software; a CPU)',
    );
    expect(describeAdapter(summarizeAdapter(nvidia))).toBe('NVIDIA GeForce RTX 4090 (vendor nvidia, architecture lovelace)');
  });
});
