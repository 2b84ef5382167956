import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DRIVER_VARIABLES, installedDriverManifests, manifestDirs } from './vulkanDrivers';

/**
 * NVIDIA's Vulkan driver on a headless Linux machine (a GPU server, a container, CI): the manifest the
 * driver installs (nvidia_icd.json) names libGLX_nvidia.so.0, which fails without an X server — the
 * Vulkan loader says "Could not get 'vkCreateInstance' via 'vk_icdGetInstanceProcAddr'" and Dawn finds
 * no adapter (or only lavapipe). The same driver's EGL library, libEGL_nvidia.so.0, serves Vulkan
 * without X (measured on an H200 with driver 580). This writes a manifest naming it, for a second try.
 */

/**
 * A manifest for NVIDIA's EGL Vulkan library, written to a temporary folder, or null: not Linux, the
 * user already chose the drivers (VK_DRIVER_FILES / VK_ICD_FILENAMES), or no NVIDIA GLX manifest is found.
 */
export function nvidiaEglDriverManifest(env: NodeJS.ProcessEnv = process.env, dirs: readonly string[] = manifestDirs(env)): string | null {
  if (process.platform !== 'linux' || DRIVER_VARIABLES.some((v) => env[v])) return null;
  for (const manifest of installedDriverManifests(dirs)) {
    const library = manifest.ICD?.library_path;
    if (typeof library !== 'string' || !basename(library).startsWith('libGLX_nvidia.so')) continue;
    const egl = library.includes('/') ? join(dirname(library), 'libEGL_nvidia.so.0') : 'libEGL_nvidia.so.0';
    if (egl.includes('/') && !existsSync(egl)) continue;
    const folder = mkdtempSync(join(tmpdir(), 'curvelab-vulkan-'));
    const path = join(folder, 'nvidia_egl_icd.json');
    writeFileSync(path, JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: egl, api_version: manifest.ICD!.api_version ?? '1.3.0' } }));
    return path;
  }
  return null;
}

/**
 * Points the Vulkan loader at `manifest` (it reads the variables when Dawn creates its Vulkan instance)
 * and returns a function that puts the previous values back.
 */
export function useDriverManifest(manifest: string, env: NodeJS.ProcessEnv = process.env): () => void {
  const previous = DRIVER_VARIABLES.map((v) => [v, env[v]] as const);
  for (const v of DRIVER_VARIABLES) env[v] = manifest;
  return () => {
    for (const [v, value] of previous) {
      if (value === undefined) delete env[v];
      else env[v] = value;
    }
  };
}
