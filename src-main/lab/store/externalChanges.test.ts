import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../api/labApi';
import { ExternalChanges } from './externalChanges';
import { openStore } from './openStore';
import { sampleSpec, stepEvent } from './runFixtures.testkit';
import type { Store } from './store';

/** Two connections on one file: `lab` watches, `other` writes as a `curvelab train` in a terminal would. */
let dir: string;
let lab: Store;
let other: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'curvelab-external-'));
  lab = openStore(join(dir, 'lab.db'));
  other = openStore(join(dir, 'lab.db'));
});
afterEach(() => {
  lab.close();
  other.close();
  rmSync(dir, { recursive: true, force: true });
});

const types = (events: LabEvent[]): string[] => events.map((e) => (e.type === 'run-status' ? `run-status:${e.run?.status ?? 'deleted'}` : e.type));

describe('ExternalChanges', () => {
  it('reports nothing while no other connection commits, not even this connection’s own writes', () => {
    const changes = new ExternalChanges(lab, () => false);
    expect(changes.poll()).toEqual([]);
    lab.createRun(lab.createExperiment({ name: 'mine' }).id, sampleSpec);
    expect(changes.poll()).toEqual([]);
  });

  it('follows a run another process creates, trains and finishes', () => {
    const changes = new ExternalChanges(lab, () => false);
    const runId = other.createRun(other.createExperiment({ name: 'Command line' }).id, sampleSpec, { pid: 4242 }).id;
    other.markRunStarted(runId, { backend: 'cpu', pid: 4242, totalSteps: 10, stepsPerEpoch: 10 });
    expect(types(changes.poll())).toEqual(['run-status:running', 'experiments-changed']);

    const journal = other.recordRun(runId, { flushIntervalMs: 60_000 });
    for (let step = 0; step < 4; step++) journal.record(stepEvent(step, 8 - step, { lr: 0.1 }));
    journal.flush();
    const progress = changes.poll();
    expect(progress).toEqual([
      { type: 'run-progress', runId, step: 3, totalSteps: 10, epoch: 0, loss: 5, accuracy: null, seconds: 0.3, trace: { lr: 0.1 } },
    ]);
    expect(changes.poll()).toEqual([]);

    journal.record(stepEvent(4, 4));
    journal.record({
      type: 'done', status: 'completed', steps: 5, trainLoss: 4, valLoss: null, valAccuracy: null, trainEvalLoss: null, trainEvalAccuracy: null, seconds: 1, backend: 'cpu',
    });
    journal.close();
    const ended = changes.poll();
    expect(types(ended)).toEqual(['run-status:completed']);
    expect(ended[0]).toMatchObject({ run: { id: runId, status: 'completed', storedSteps: 5 } });
  });

  it('leaves out the runs this process trains, and reports runs deleted elsewhere', () => {
    const experimentId = other.createExperiment({ name: 'e' }).id;
    const mine = other.createRun(experimentId, sampleSpec).id;
    const theirs = other.createRun(experimentId, sampleSpec).id;
    const changes = new ExternalChanges(lab, (id) => id === mine);
    other.markRunStarted(mine, { backend: 'cpu', totalSteps: 5 });
    other.markRunStarted(theirs, { backend: 'cpu', totalSteps: 5 });
    const started = changes.poll();
    expect(started).toMatchObject([{ type: 'run-status', runId: theirs }]);

    other.deleteRun(theirs);
    expect(changes.poll()).toEqual([{ type: 'run-status', runId: theirs, run: null }, { type: 'experiments-changed' }]);
  });
});
