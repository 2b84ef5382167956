// A stand-in for trainWorker.ts in RunManager's tests: speaks the same protocol (workerProtocol.ts) but
// fakes the training, and misbehaves on request, so the tests can make a worker die in each way a real
// one can without waiting for TF.js. Plain JS: vitest does not compile code inside worker threads.
//
// The run spec's `dataset` picks the behaviour:
//   testkit:complete        start, 3 steps, an epoch, done (completed)
//   testkit:diverge         start, 2 steps, done (diverged, "the batch loss at step 2 is NaN")
//   testkit:exit            start, 3 steps, then process.exit(3)
//   testkit:throw           start, 2 steps, then an uncaught exception
//   testkit:oom             start, 1 step, then allocates until the resource limits end it
//   testkit:slow            start, then a step every 10 ms (for 100,000 steps) until cancelled: done (cancelled)
//   testkit:ignore-cancel   start, 1 step, then stays alive and ignores cancel messages
//   testkit:linger          as slow, but once cancelled goes on for 300 ms (steps traced `lingering`), then done (cancelled)
import { parentPort } from 'node:worker_threads';

let runId = 0;
let cancelled = false;
let ignoreCancel = false;

const post = (event) => parentPort.postMessage({ type: 'event', runId, event });

function start(totalSteps) {
  post({
    type: 'start',
    backend: 'testkit',
    backendReason: 'a fake worker',
    dataset: { name: 'fake', task: 'classification', inputShape: [2], classes: 2, trainSize: 10, validationSize: 2 },
    model: { layers: [], paramCount: 0 },
    optimizer: 'sgd',
    totalSteps,
    stepsPerEpoch: totalSteps,
  });
}

function stepEvent(i) {
  return {
    type: 'step', step: i, epoch: 0, loss: 1 / (i + 1), accuracy: 0.5, seconds: i / 100,
    forwardPasses: i + 1, backwardPasses: i + 1, forwardModePasses: 0, trace: { lr: 0.1 },
  };
}

function step(i) {
  post(stepEvent(i));
}

function done(status, steps, reason) {
  post({ type: 'done', status, steps, trainLoss: 1 / steps, valLoss: null, valAccuracy: null, seconds: steps / 100, backend: 'testkit', ...(reason ? { reason } : {}) });
}

const behaviours = {
  complete() {
    start(3);
    for (let i = 0; i < 3; i++) step(i);
    post({ type: 'epoch', epoch: 0, steps: 3, trainLoss: 0.6, trainAccuracy: 0.5, valLoss: 0.7, valAccuracy: 0.5, seconds: 0.03 });
    done('completed', 3);
    parentPort.close();
  },
  diverge() {
    start(10);
    for (let i = 0; i < 2; i++) step(i);
    done('diverged', 2, 'the batch loss at step 2 is NaN');
    parentPort.close();
  },
  exit() {
    start(10);
    for (let i = 0; i < 3; i++) step(i);
    process.exit(3);
  },
  throw() {
    start(10);
    for (let i = 0; i < 2; i++) step(i);
    setImmediate(() => {
      throw new Error('testkit: thrown inside the worker');
    });
  },
  oom() {
    start(10);
    step(0);
    const kept = [];
    for (;;) kept.push(new Array(100_000).fill(kept.length));
  },
  slow() {
    const total = 100_000;
    start(total);
    let i = 0;
    const timer = setInterval(() => {
      if (cancelled || i === total) {
        clearInterval(timer);
        done(cancelled ? 'cancelled' : 'completed', i);
        parentPort.close();
        return;
      }
      step(i++);
    }, 10);
  },
  linger() {
    start(100_000);
    let i = 0;
    let cancelledAt = null;
    const timer = setInterval(() => {
      if (cancelled) cancelledAt ??= Date.now();
      if (cancelledAt !== null && Date.now() - cancelledAt > 300) {
        clearInterval(timer);
        done('cancelled', i);
        parentPort.close();
        return;
      }
      if (cancelledAt === null) step(i++);
      else post({ ...stepEvent(i++), trace: { lingering: 1 } });
    }, 10);
  },
  'ignore-cancel'() {
    start(10);
    step(0);
    ignoreCancel = true;
    setInterval(() => {}, 1000);
  },
};

parentPort.on('message', (message) => {
  if (message.type === 'cancel') {
    if (!ignoreCancel) cancelled = true;
    return;
  }
  if (message.type !== 'train') return;
  runId = message.runId;
  const name = message.spec.dataset.replace(/^testkit:/, '');
  const behaviour = behaviours[name];
  if (!behaviour) {
    parentPort.postMessage({ type: 'error', message: `crashingWorker.testkit: no behaviour "${name}"`, userError: false });
    process.exit(1);
  }
  behaviour();
});
