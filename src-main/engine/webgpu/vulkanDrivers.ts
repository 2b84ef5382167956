import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Vulkan drivers (ICD manifests) installed on a Linux machine, read the way the Vulkan loader finds
 * them. Knowing them up front lets auto-selection skip WebGPU where only a software driver (or none) is
 * installed, without starting Dawn, which prints warnings to stderr that CurveLab cannot silence.
 */

const MANIFEST_DIRS = ['/etc/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

/** The driver-list variables of the Vulkan loader: the new name and the older one it still reads. */
export const DRIVER_VARIABLES = ['VK_DRIVER_FILES', 'VK_ICD_FILENAMES'];

export interface DriverManifest {
  path: string;
  ICD?: { library_path?: unknown; api_version?: string };
}

export function manifestDirs(env: NodeJS.ProcessEnv): string[] {
  const xdg = (env.XDG_DATA_DIRS ?? '').split(':').filter(Boolean).map((d) => join(d, 'vulkan/icd.d'));
  return [...new Set([...MANIFEST_DIRS, ...xdg])];
}

/** Every readable manifest in the loader's folders, in the loader's order. */
export function installedDriverManifests(dirs: readonly string[]): DriverManifest[] {
  const found: DriverManifest[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const manifest = readManifest(join(dir, name));
      if (manifest) found.push(manifest);
    }
  }
  return found;
}

export function readManifest(path: string): DriverManifest | null {
  try {
    return { path, ...(JSON.parse(readFileSync(path, 'utf8')) as Omit<DriverManifest, 'path'>) };
  } catch {
    return null;
  }
}

/** Mesa's software drivers: lavapipe (libvulkan_lvp) and SwiftShader. */
export function isSoftwareDriver(manifest: DriverManifest): boolean {
  const library = String(manifest.ICD?.library_path ?? '');
  return /libvulkan_lvp|swiftshader/i.test(library);
}

/**
 * Why WebGPU cannot find a hardware GPU on this machine, or null when it might: not Linux (Metal and
 * D3D12 need no manifest), the user chose the drivers, or a hardware driver's manifest is installed.
 */
export function missingHardwareVulkanDriver(env: NodeJS.ProcessEnv = process.env, dirs: readonly string[] = manifestDirs(env)): string | null {
  if (process.platform !== 'linux' || DRIVER_VARIABLES.some((v) => env[v])) return null;
  const manifests = installedDriverManifests(dirs);
  if (manifests.some((m) => !isSoftwareDriver(m))) return null;
  return manifests.length === 0 ? 'no Vulkan driver is installed' : 'only a software Vulkan driver (Mesa lavapipe) is installed';
}
