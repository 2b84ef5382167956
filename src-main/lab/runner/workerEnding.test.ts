import { describe, expect, it } from 'vitest';
import { finishWithoutDone, type WorkerEnding } from './workerEnding';

const quiet: WorkerEnding = { exitCode: 0, reportedError: null, crash: null, terminatedAtShutdown: false };

function crash(message: string, code?: string): Error & { code?: string } {
  return Object.assign(new Error(message), code ? { code } : {});
}

describe('finishWithoutDone', () => {
  it("a job that threw fails with the worker's own message, whatever else happened", () => {
    expect(finishWithoutDone({ ...quiet, exitCode: 1, reportedError: 'no such file: /data/x.csv', crash: crash('later') })).toEqual({
      status: 'failed',
      error: 'no such file: /data/x.csv',
    });
  });

  it('an out-of-memory worker fails with a reason that says so', () => {
    const ending = { ...quiet, exitCode: 1, crash: crash('Worker terminated due to reaching memory limit: JS heap out of memory', 'ERR_WORKER_OUT_OF_MEMORY') };
    expect(finishWithoutDone(ending)).toEqual({
      status: 'failed',
      error: 'the training worker ran out of memory (Worker terminated due to reaching memory limit: JS heap out of memory)',
    });
  });

  it('an uncaught exception, a bare exit and a shutdown each say what ended the worker', () => {
    expect(finishWithoutDone({ ...quiet, exitCode: 1, crash: crash('boom') })).toEqual({ status: 'failed', error: 'the training worker crashed: boom' });
    expect(finishWithoutDone({ ...quiet, exitCode: 3 })).toEqual({ status: 'failed', error: 'the training worker exited with code 3 before the run finished' });
    expect(finishWithoutDone({ ...quiet, exitCode: 1, terminatedAtShutdown: true })).toEqual({
      status: 'interrupted',
      error: 'the lab shut down and stopped the training worker before the run finished',
    });
  });
});
