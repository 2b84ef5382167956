import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../api/labApi';
import { checkedRunSpec } from '../runSpec/runRequests.testkit';
import { openStore, type Store } from '../store';
import { answersTrainWith, FakeTrainer } from './fakeTrainer.testkit';
import { RunManager } from './runManager';
import { doneEvent, startEvent, stepEvent } from './trainEvents.testkit';
import type { StartTrainer } from './trainerPort';

/** RunManagerOptions.startTrainer: what trains a run is whatever it starts, held to a worker's messages. */

let store: Store;
let experimentId: number;
let manager: RunManager | null;

beforeEach(() => {
  store = openStore(':memory:');
  experimentId = store.createExperiment({ name: 'trainer port tests' }).id;
  manager = null;
});

afterEach(async () => {
  await manager?.shutdown(2000);
  store.close();
});

const spec = checkedRunSpec({ dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, optimizer: 'sgd', steps: 3, batchSize: 32 });

function managerWith(startTrainer: (startWorker: StartTrainer) => FakeTrainer): { manager: RunManager; events: LabEvent[] } {
  const events: LabEvent[] = [];
  manager = new RunManager({ store, concurrency: 1, backend: 'webgpu', emit: (event) => events.push(event), startTrainer });
  return { manager, events };
}

describe('RunManager with a trainer of its own', () => {
  it('posts it the train message and records the run from its messages, as from a worker', async () => {
    const trainers: FakeTrainer[] = [];
    const starters: unknown[] = [];
    const { manager } = managerWith((startWorker) => {
      starters.push(startWorker);
      const trainer = new FakeTrainer(answersTrainWith([startEvent(3), stepEvent(0, 2.5), stepEvent(1, 2), stepEvent(2, 1.5), doneEvent(3)]));
      trainers.push(trainer);
      return trainer;
    });
    const queued = manager.enqueue(experimentId, spec);
    await manager.idle();

    expect(trainers).toHaveLength(1);
    expect(typeof starters[0]).toBe('function'); // how to start a worker thread, should it want one
    expect(trainers[0].posted).toEqual([{ type: 'train', runId: queued.id, spec, backend: 'webgpu' }]);
    expect(store.getRun(queued.id)).toMatchObject({ status: 'completed', steps: 3, storedSteps: 3 });
    expect(store.readCurve(queued.id, { series: 'loss', maxPoints: 10 }).map((p) => p.value)).toEqual([2.5, 2, 1.5]);
  });

  it('a trainer that ends without `done` fails its run with the error it reported; cancel reaches it', async () => {
    const trainer = new FakeTrainer((message, t) => {
      if (message.type !== 'cancel') return;
      t.say({ type: 'error', message: 'no GPU at all', userError: true });
      t.emit('exit', 1);
    });
    const { manager } = managerWith(() => trainer);
    const queued = manager.enqueue(experimentId, spec);
    manager.cancel(queued.id);
    await manager.idle();
    expect(trainer.posted.map((m) => m.type)).toEqual(['train', 'cancel']);
    expect(store.getRun(queued.id)).toMatchObject({ status: 'failed', error: 'no GPU at all' });
  });

  it('a trainer that cannot start fails its run and the queue goes on', async () => {
    let calls = 0;
    const { manager } = managerWith(() => {
      if (++calls === 1) throw new Error('no window');
      return new FakeTrainer(answersTrainWith([startEvent(3), doneEvent(3)]));
    });
    const first = manager.enqueue(experimentId, spec);
    const second = manager.enqueue(experimentId, spec);
    await manager.idle();
    expect(store.getRun(first.id)).toMatchObject({ status: 'failed', error: 'the training worker could not start: no window' });
    expect(store.getRun(second.id)?.status).toBe('completed');
  });
});
