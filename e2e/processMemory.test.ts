import { describe, expect, it } from 'vitest';
import { parseProcStatusMemory, readProcessMemory } from './processMemory';

// A /proc/<pid>/status as Linux 6 writes it (the lines around the two read, abridged).
const status = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
Pid:\t4242
VmPeak:\t 1234567 kB
VmSize:\t 1200000 kB
VmHWM:\t  716800 kB
VmRSS:\t  409600 kB
RssAnon:\t  300000 kB
Threads:\t17
`;

describe('parseProcStatusMemory', () => {
  it('reads VmRSS and VmHWM (the peak), converting kB to bytes', () => {
    expect(parseProcStatusMemory(status)).toEqual({ rssBytes: 409600 * 1024, peakRssBytes: 716800 * 1024 });
  });

  it('does not take VmPeak (virtual size) or RssAnon for them', () => {
    const withoutRss = status.replace(/^VmRSS:.*\n/m, '');
    expect(parseProcStatusMemory(withoutRss)).toBeNull();
  });

  it('is null for a kernel thread, which has no Vm lines', () => {
    expect(parseProcStatusMemory('Name:\tkthreadd\nState:\tS (sleeping)\n')).toBeNull();
  });
});

describe('readProcessMemory', () => {
  it.runIf(process.platform === 'linux')('reads this process: resident memory below its peak', () => {
    const memory = readProcessMemory(process.pid)!;
    expect(memory.rssBytes).toBeGreaterThan(0);
    expect(memory.peakRssBytes).toBeGreaterThanOrEqual(memory.rssBytes);
  });

  it('is null for a process that does not exist', () => {
    expect(readProcessMemory(2 ** 30)).toBeNull();
  });
});
