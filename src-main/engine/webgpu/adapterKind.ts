/**
 * What a WebGPU adapter is, from the GPUAdapterInfo that Dawn reports: a summary for reports, and
 * whether it is a software rasterizer running on the CPU (Mesa's llvmpipe/lavapipe, SwiftShader,
 * Microsoft's WARP "Basic Render Driver"). Backend selection must never pick such an adapter on its own.
 */
export interface WebGpuAdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU pretending to be a GPU: correct, far slower than the CPU path. */
  isSoftware: boolean;
}

/** The fields of GPUAdapterInfo this module reads (all optional: older bindings leave some out). */
export interface AdapterInfoFields {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** Dawn's adapter type where exposed ('discrete GPU', 'integrated GPU', 'CPU', 'unknown'). */
  adapterType?: string;
  /** WebGPU's flag for a fallback (software) adapter. */
  isFallbackAdapter?: boolean;
}

const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|basic render driver|microsoft basic render/i;

export function summarizeAdapter(info: AdapterInfoFields, isFallbackAdapter = false): WebGpuAdapterSummary {
  const summary = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
  };
  const isSoftware =
    isFallbackAdapter ||
    info.isFallbackAdapter === true ||
    /^cpu$/i.test(info.adapterType ?? '') ||
    // Dawn's Vulkan backend reports VK_PHYSICAL_DEVICE_TYPE_CPU as architecture 'software' (vendor 'mesa').
    /^software$/i.test(summary.architecture) ||
    SOFTWARE_NAMES.test(`${summary.device} ${summary.description}`);
  return { ...summary, isSoftware };
}

/**
 * A short name for messages: "llvmpipe" for "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)", else the
 * description, the device or the vendor, whichever is known.
 */
export function adapterName(adapter: WebGpuAdapterSummary): string {
  const text = adapter.description || adapter.device || adapter.vendor || 'an unnamed adapter';
  return text.split(':')[0].trim();
}

/** One line naming the adapter for reports: `llvmpipe: Mesa 25.0.7 … (vendor mesa, architecture software; a CPU)`. */
export function describeAdapter(adapter: WebGpuAdapterSummary): string {
  const name = adapter.description || adapter.device || adapter.vendor || 'an unnamed adapter';
  const facts = [adapter.vendor && `vendor ${adapter.vendor}`, adapter.architecture && `architecture ${adapter.architecture}`]
    .filter(Boolean)
    .join(', ');
  return `${name}${facts ? ` (${facts}${adapter.isSoftware ? '; a CPU' : ''})` : adapter.isSoftware ? ' (a CPU)' : ''}`;
}
