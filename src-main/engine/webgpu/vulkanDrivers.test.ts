import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingHardwareVulkanDriver } from './vulkanDrivers';

const root = mkdtempSync(join(tmpdir(), 'curvelab-icd-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function icdDir(name: string, manifests: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, library] of Object.entries(manifests)) {
    writeFileSync(join(dir, file), JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: library, api_version: '1.3.0' } }));
  }
  return dir;
}

describe.runIf(process.platform === 'linux')('missingHardwareVulkanDriver', () => {
  it('says so when no Vulkan driver is installed', () => {
    expect(missingHardwareVulkanDriver({}, [icdDir('empty', {}), join(root, 'absent')])).toBe('no Vulkan driver is installed');
  });

  it('says so when only lavapipe is installed', () => {
    const dir = icdDir('mesa', { 'lvp_icd.x86_64.json': '/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so' });
    expect(missingHardwareVulkanDriver({}, [dir])).toBe('only a software Vulkan driver (Mesa lavapipe) is installed');
  });

  it('lets WebGPU try where a hardware driver is installed, or the user chose the drivers', () => {
    const dir = icdDir('nvidia', { 'lvp_icd.x86_64.json': 'libvulkan_lvp.so', 'nvidia_icd.json': 'libGLX_nvidia.so.0' });
    expect(missingHardwareVulkanDriver({}, [dir])).toBeNull();
    expect(missingHardwareVulkanDriver({ VK_DRIVER_FILES: '/somewhere/icd.json' }, [icdDir('none', {})])).toBeNull();
  });
});
