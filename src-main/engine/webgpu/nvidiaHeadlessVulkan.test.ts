import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nvidiaEglDriverManifest, useDriverManifest } from './nvidiaHeadlessVulkan';

const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

/** A folder of Vulkan driver manifests: name → the library it names. */
function manifests(entries: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'icd-test-'));
  folders.push(dir);
  mkdirSync(dir, { recursive: true });
  for (const [name, library] of Object.entries(entries)) {
    writeFileSync(join(dir, name), JSON.stringify({ file_format_version: '1.0.1', ICD: { library_path: library, api_version: '1.4.312' } }));
  }
  return dir;
}

function written(path: string | null) {
  expect(path).not.toBeNull();
  folders.push(join(path!, '..'));
  return JSON.parse(readFileSync(path!, 'utf8'));
}

describe.runIf(process.platform === 'linux')('nvidiaEglDriverManifest', () => {
  it("writes a manifest naming NVIDIA's EGL library in place of its GLX one, same API version", () => {
    const dir = manifests({ 'lvp_icd.json': '/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so', 'nvidia_icd.json': 'libGLX_nvidia.so.0' });
    expect(written(nvidiaEglDriverManifest({}, [dir]))).toEqual({
      file_format_version: '1.0.0',
      ICD: { library_path: 'libEGL_nvidia.so.0', api_version: '1.4.312' },
    });
  });

  it('keeps the folder of an absolute library path, when the EGL library is there', () => {
    const lib = manifests({});
    writeFileSync(join(lib, 'libEGL_nvidia.so.0'), '');
    const dir = manifests({ 'nvidia_icd.json': join(lib, 'libGLX_nvidia.so.0') });
    expect(written(nvidiaEglDriverManifest({}, [dir])).ICD.library_path).toBe(join(lib, 'libEGL_nvidia.so.0'));
    const elsewhere = manifests({ 'nvidia_icd.json': '/nowhere/libGLX_nvidia.so.0' });
    expect(nvidiaEglDriverManifest({}, [elsewhere])).toBeNull();
  });

  it('leaves alone machines without NVIDIA, and users who chose their drivers', () => {
    const mesaOnly = manifests({ 'lvp_icd.json': 'libvulkan_lvp.so', 'radeon_icd.json': 'libvulkan_radeon.so' });
    expect(nvidiaEglDriverManifest({}, [mesaOnly, '/no/such/dir'])).toBeNull();
    const nvidia = manifests({ 'nvidia_icd.json': 'libGLX_nvidia.so.0' });
    expect(nvidiaEglDriverManifest({ VK_ICD_FILENAMES: '/x.json' }, [nvidia])).toBeNull();
    expect(nvidiaEglDriverManifest({ VK_DRIVER_FILES: '/x.json' }, [nvidia])).toBeNull();
  });
});

describe('useDriverManifest', () => {
  it('sets both loader variables and puts the previous values back', () => {
    const env: NodeJS.ProcessEnv = { VK_ICD_FILENAMES: '/old.json' };
    const restore = useDriverManifest('/new.json', env);
    expect(env).toEqual({ VK_ICD_FILENAMES: '/new.json', VK_DRIVER_FILES: '/new.json' });
    restore();
    expect(env).toEqual({ VK_ICD_FILENAMES: '/old.json' });
  });
});
