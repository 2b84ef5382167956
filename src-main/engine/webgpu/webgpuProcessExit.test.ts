import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { disposeWebGpu } from './loadWebGpuBackend';
import { describeWithWebGpu, setUpWebGpuForTests } from './webgpuTestSetup.testkit';

/**
 * A process that used Dawn must end on its own, promptly and with status 0: Dawn's Node binding can keep
 * the event loop alive or crash on the way out. Runs webgpuSmoke.ts (load, one GPU matmul read back with
 * dataSync(), exit) in a child process, with and without disposeWebGpu(), and the refusal of a CPU adapter.
 */
const setup = await setUpWebGpuForTests();
const onlySoftware = setup.state === 'ready' && setup.info.adapter.isSoftware;
await disposeWebGpu(); // this process only needed to know whether there is an adapter

const smoke = fileURLToPath(new URL('./webgpuSmoke.ts', import.meta.url));

function runSmoke(...args: string[]) {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', smoke, ...args], { encoding: 'utf8', timeout: 60_000 });
  const seconds = (performance.now() - started) / 1000;
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  let report: { ok?: boolean; error?: string } = {};
  try {
    report = JSON.parse(line);
  } catch {
    // left empty: the assertions below show stdout and stderr
  }
  return { status: child.status, signal: child.signal, seconds, report, output: `${child.stdout}\n${child.stderr}` };
}

describeWithWebGpu('a process that used webgpu', setup, () => {
  it('exits promptly with status 0 after disposeWebGpu()', () => {
    const run = runSmoke('--allow-software');
    expect(run.report.ok, run.output).toBe(true);
    expect([run.status, run.signal], run.output).toEqual([0, null]);
    expect(run.seconds).toBeLessThan(30);
  });

  it('exits promptly with status 0 even without disposeWebGpu()', () => {
    const run = runSmoke('--allow-software', '--no-dispose');
    expect(run.report.ok, run.output).toBe(true);
    expect([run.status, run.signal], run.output).toEqual([0, null]);
    expect(run.seconds).toBeLessThan(30);
  });

  it.runIf(setup.state === 'ready' && !onlySoftware)('loads a hardware adapter without --allow-software', () => {
    const run = runSmoke();
    expect(run.report.ok, run.output).toBe(true);
    expect([run.status, run.signal], run.output).toEqual([0, null]);
  });

  it.runIf(onlySoftware)('refuses a CPU adapter unless allowed, in one line, and still exits promptly', () => {
    const run = runSmoke();
    expect(run.report.error, run.output).toMatch(/^no hardware GPU: the only WebGPU adapter is \S.* \(a CPU\)$/);
    expect([run.status, run.signal], run.output).toEqual([3, null]);
    expect(run.seconds).toBeLessThan(30);
  });
});
