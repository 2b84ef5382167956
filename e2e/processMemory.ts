import { readFileSync } from 'node:fs';

/** A process's memory as Linux counts it: resident now (VmRSS) and the most it was ever resident (VmHWM). */
export interface ProcessMemory {
  rssBytes: number;
  peakRssBytes: number;
}

/** The VmRSS and VmHWM lines of a `/proc/<pid>/status` text (kB there, bytes here); null when either is missing. */
export function parseProcStatusMemory(status: string): ProcessMemory | null {
  const kilobytes = (field: string): number | null => {
    const match = new RegExp(`^${field}:\\s*(\\d+)\\s*kB\\s*$`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : null;
  };
  const rssBytes = kilobytes('VmRSS');
  const peakRssBytes = kilobytes('VmHWM');
  return rssBytes === null || peakRssBytes === null ? null : { rssBytes, peakRssBytes };
}

/** The process's memory now, or null once it has ended (or where there is no /proc). */
export function readProcessMemory(pid: number): ProcessMemory | null {
  try {
    return parseProcStatusMemory(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Samples a process's resident memory every `intervalMs`, so that a peak is seen even where the process
 * dies before VmHWM can be read (a kill, an abort). `takeWindowPeak` gives the highest RSS since the
 * previous call: the peak during one fault.
 */
export class MemorySampler {
  private readonly timer: NodeJS.Timeout;
  private windowPeak = 0;
  /** The highest of VmHWM and every sample so far. */
  peakBytes = 0;

  constructor(
    private readonly pid: number,
    intervalMs = 200,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.sample();
  }

  sample(): void {
    const memory = readProcessMemory(this.pid);
    if (!memory) return;
    this.windowPeak = Math.max(this.windowPeak, memory.rssBytes);
    this.peakBytes = Math.max(this.peakBytes, memory.peakRssBytes, memory.rssBytes);
  }

  takeWindowPeak(): number {
    this.sample();
    const peak = this.windowPeak;
    this.windowPeak = readProcessMemory(this.pid)?.rssBytes ?? 0;
    return peak;
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}
