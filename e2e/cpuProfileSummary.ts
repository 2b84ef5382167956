/**
 * The functions a V8 CPU profile (CDP `Profiler.stop`) spent its time in, by self and by total time:
 * what `bench:ui --profile` prints, so a slow phase says where its time went.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds from the previous sample to this one. */
  timeDeltas: number[];
}

export interface FunctionTime {
  name: string;
  ms: number;
}

function nodeNames(profile: CpuProfile): Map<number, string> {
  const names = new Map<number, string>();
  for (const { id, callFrame } of profile.nodes) {
    const file = callFrame.url.split('/').pop() || '(native)';
    names.set(id, `${callFrame.functionName || '(anonymous)'} ${file}:${callFrame.lineNumber + 1}`);
  }
  return names;
}

function largest(micros: Map<string, number>, top: number): FunctionTime[] {
  return [...micros]
    .map(([name, us]) => ({ name, ms: us / 1000 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

/** The `top` functions by self time (name, file and line), largest first. */
export function topSelfTimes(profile: CpuProfile, top: number): FunctionTime[] {
  const names = nodeNames(profile);
  const micros = new Map<string, number>();
  profile.samples.forEach((nodeId, i) => {
    const name = names.get(nodeId) ?? '(unknown)';
    micros.set(name, (micros.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return largest(micros, top);
}

/** The `top` functions by total time (their own and their callees'; a recursive one counted once per sample). */
export function topTotalTimes(profile: CpuProfile, top: number): FunctionTime[] {
  const names = nodeNames(profile);
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const micros = new Map<string, number>();
  profile.samples.forEach((nodeId, i) => {
    const onStack = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parent.get(id)) onStack.add(names.get(id) ?? '(unknown)');
    for (const name of onStack) micros.set(name, (micros.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return largest(micros, top);
}
