import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StartEvent } from '../../engine/train/trainEvents';
import { float32Values } from '../../engine/weights/safetensors';
import { decodeWeightsFile, weightsMetadataKeys } from '../../engine/weights/weightsFile';
import { answersTrainWith, FakeTrainer } from '../runner/fakeTrainer.testkit';
import { doneEvent, startEvent, stepEvent } from '../runner/trainEvents.testkit';
import type { FromWorkerMessage, ToWorkerMessage } from '../runner/workerProtocol';
import type { RunSpec } from '../../shared/runSpec';
import type { FromPageMessage, ToPageMessage } from './pageProtocol';
import { PageTrainerPort, trainInPages, type PageChannel } from './pageTrainerPort';

/**
 * The host's side of a page trainer, with a page made by hand: what the page is sent (the dataset, not
 * the checkpoints), what comes back (events, final weights into the run's file), and where the run goes
 * when the page has no GPU (a worker on cpu-blas, saying why) or the page goes away.
 */

const dir = mkdtempSync(join(tmpdir(), 'curvelab-page-trainer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec: RunSpec = {
  dataset: 'mnist',
  arch: 'mlp',
  archOptions: { widths: '4' },
  optimizer: 'sgd',
  optimizerOptions: {},
  steps: 2,
  batchSize: 8,
  shuffle: true,
  init: 'default',
  seed: 1,
  trainSize: 16,
  valSize: 8,
};

const train = (overrides: Partial<Extract<ToWorkerMessage, { type: 'train' }>> = {}): ToWorkerMessage => ({
  type: 'train',
  runId: 7,
  spec,
  backend: 'auto',
  checkpoints: { folder: join(dir, 'checkpoints'), every: { steps: 5 } },
  ...overrides,
});

/** A page that says it is ready once listened to, keeps what it is sent and answers with `answer`. */
class FakePage implements PageChannel {
  readonly received: ToPageMessage[] = [];
  closed = false;
  private listener: (message: unknown) => void = () => {};
  private goneListener: (why: string) => void = () => {};

  constructor(private readonly answer: (message: ToPageMessage, page: FakePage) => void) {}

  postMessage(message: ToPageMessage): void {
    this.received.push(message);
    queueMicrotask(() => this.answer(message, this));
  }
  onMessage(listener: (message: unknown) => void): void {
    this.listener = listener;
    queueMicrotask(() => listener({ type: 'ready' } satisfies FromPageMessage));
  }
  onGone(listener: (why: string) => void): void {
    this.goneListener = listener;
  }
  close(): void {
    this.closed = true;
  }
  say(message: FromPageMessage): void {
    this.listener(message);
  }
  crash(): void {
    this.goneListener('crashed (oom)');
  }
}

interface Outcome {
  messages: FromWorkerMessage[];
  errors: string[];
  exitCode: number;
}

function run(port: PageTrainerPort, message: ToWorkerMessage, then: (port: PageTrainerPort) => void = () => {}): Promise<Outcome> {
  const messages: FromWorkerMessage[] = [];
  const errors: string[] = [];
  port.on('message', (m) => messages.push(m as FromWorkerMessage));
  port.on('error', (e) => errors.push(e.message));
  const exited = new Promise<number>((resolve) => port.on('exit', resolve));
  port.postMessage(message);
  then(port);
  return exited.then((exitCode) => ({ messages, errors, exitCode }));
}

const noWorker = (): never => {
  throw new Error('no worker expected');
};

describe('a run trained in a page', () => {
  it('sends the page the run with its dataset (no checkpoints), passes its events on, writes the weights it sends back', async () => {
    const weightsFile = join(dir, 'weights', 'run.safetensors');
    const page = new FakePage((message, p) => {
      if (message.type !== 'train') return;
      p.say({ type: 'event', runId: 7, event: startEvent(2) });
      p.say({ type: 'event', runId: 7, event: stepEvent(0, 2.25) });
      p.say({ type: 'weights', weights: { modelSpec: { inputShape: [2], layers: [] }, tensors: [{ name: 'w', shape: [2], values: Float32Array.of(0.5, -1.5) }] } });
      p.say({ type: 'event', runId: 7, event: doneEvent(2) });
      p.say({ type: 'ended', exitCode: 0 });
    });
    const outcome = await run(new PageTrainerPort({ openPage: async () => page, startWorker: noWorker, allowSoftwareAdapter: false }), train({ weightsFile }));

    expect(page.received).toHaveLength(1);
    const sent = page.received[0] as Extract<ToPageMessage, { type: 'train' }>;
    expect(Object.keys(sent).sort()).toEqual(['allowSoftwareAdapter', 'dataset', 'keepWeights', 'memoryLimitBytes', 'runId', 'spec', 'type']);
    expect(sent).toMatchObject({ runId: 7, spec, keepWeights: true, allowSoftwareAdapter: false });
    expect(sent.memoryLimitBytes).toBeGreaterThan(0);
    expect(sent.dataset.inputShape).toEqual([28, 28, 1]);
    expect(sent.dataset.train.x).toBeInstanceOf(Float32Array);

    expect(outcome).toEqual({ messages: [startEvent(2), stepEvent(0, 2.25), doneEvent(2)].map((event) => ({ type: 'event', runId: 7, event })), errors: [], exitCode: 0 });
    expect(page.closed).toBe(true);
    const file = decodeWeightsFile(readFileSync(weightsFile), weightsFile);
    expect(Array.from(float32Values(file.tensors[0], file.bytesOf(file.tensors[0]), weightsFile))).toEqual([0.5, -1.5]);
    expect(JSON.parse(file.metadata[weightsMetadataKeys.runSpec]!)).toEqual(spec);
  });

  it('a cancel that comes before the page is ready reaches it after the run', async () => {
    const page = new FakePage((message, p) => {
      if (message.type === 'cancel') p.say({ type: 'ended', exitCode: 0 });
    });
    const outcome = await run(new PageTrainerPort({ openPage: async () => page, startWorker: noWorker, allowSoftwareAdapter: false }), train(), (port) =>
      port.postMessage({ type: 'cancel' }),
    );
    expect(page.received.map((m) => m.type)).toEqual(['train', 'cancel']);
    expect(outcome.exitCode).toBe(0);
  });

  it('a page that goes away mid-run ends it with a crash', async () => {
    const page = new FakePage((message, p) => {
      if (message.type === 'train') p.crash();
    });
    const outcome = await run(new PageTrainerPort({ openPage: async () => page, startWorker: noWorker, allowSoftwareAdapter: false }), train());
    expect(outcome).toEqual({ messages: [], errors: ['the GPU page crashed (oom)'], exitCode: 1 });
  });

  it('a dataset that does not load fails the run as a worker would, without a page', async () => {
    let opened = 0;
    const outcome = await run(
      new PageTrainerPort({ openPage: async () => (opened++, new FakePage(() => {})), startWorker: noWorker, allowSoftwareAdapter: false }),
      train({ spec: { ...spec, dataset: join(dir, 'nothing-here.csv') } }),
    );
    expect(opened).toBe(0);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.messages).toEqual([expect.objectContaining({ type: 'error', userError: true })]);
  });
});

describe('a page without a GPU', () => {
  it('sends the run to a worker on cpu-blas with its checkpoints, whose start event says why; later runs go there without a page', async () => {
    const pages: FakePage[] = [];
    const workers: FakeTrainer[] = [];
    const start = trainInPages({
      openPage: async () => {
        const page = new FakePage((message, p) => {
          if (message.type === 'train') p.say({ type: 'unavailable', failure: 'no-adapter', message: 'no GPU adapter in Chromium' });
        });
        pages.push(page);
        return page;
      },
      allowSoftwareAdapter: false,
    });
    const startWorker = (): FakeTrainer => {
      const reason: StartEvent = { ...startEvent(2), backend: 'cpu-blas', backendReason: 'OpenBLAS 0.3.21, 2 threads; requested' };
      const worker = new FakeTrainer(answersTrainWith([reason, doneEvent(2)]));
      workers.push(worker);
      return worker;
    };

    const first = await run(start(startWorker) as PageTrainerPort, train());
    expect(pages).toHaveLength(1);
    expect(pages[0].closed).toBe(true);
    expect(workers[0].posted).toEqual([{ ...train(), backend: 'cpu-blas' }]);
    expect(first.exitCode).toBe(0);
    const event = first.messages[0];
    expect(event.type === 'event' && event.event.type === 'start' && event.event.backendReason).toBe(
      'no GPU adapter in Chromium: training on cpu-blas (OpenBLAS 0.3.21, 2 threads; requested)',
    );

    const second = await run(start(startWorker) as PageTrainerPort, train({ runId: 8 }));
    expect(pages).toHaveLength(1);
    expect(workers).toHaveLength(2);
    expect(second.exitCode).toBe(0);
  });

  it('a hessian-free run (it reads back every step) goes to a worker without a page, saying why; the next run still goes to a page', async () => {
    let opened = 0;
    const workers: FakeTrainer[] = [];
    const start = trainInPages({
      openPage: async () => {
        opened++;
        return new FakePage((message, p) => {
          if (message.type === 'train') p.say({ type: 'ended', exitCode: 0 });
        });
      },
      allowSoftwareAdapter: false,
    });
    const startWorker = (): FakeTrainer => {
      const worker = new FakeTrainer(answersTrainWith([startEvent(2), doneEvent(2)]));
      workers.push(worker);
      return worker;
    };
    const hessianFree = await run(start(startWorker) as PageTrainerPort, train({ spec: { ...spec, optimizer: 'hessian-free' } }));
    expect(opened).toBe(0);
    expect(workers[0].posted).toEqual([{ ...train({ spec: { ...spec, optimizer: 'hessian-free' } }), backend: 'cpu-blas' }]);
    const event = hessianFree.messages[0];
    expect(event.type === 'event' && event.event.type === 'start' && event.event.backendReason).toBe(
      'hessian-free waits for numbers read back from the GPU every step, which a page cannot do: training on cpu (test)',
    );

    await run(start(startWorker) as PageTrainerPort, train({ runId: 8 }));
    expect(opened).toBe(1);
    expect(workers).toHaveLength(1);
  });

  it('a page that cannot open: the run goes to a worker, saying why', async () => {
    const worker = new FakeTrainer(answersTrainWith([startEvent(2)]));
    const outcome = await run(
      new PageTrainerPort({ openPage: () => Promise.reject(new Error('out/gpuPage/index.html is missing')), startWorker: () => worker, allowSoftwareAdapter: false }),
      train(),
    );
    const event = outcome.messages[0];
    expect(event.type === 'event' && event.event.type === 'start' && event.event.backendReason).toBe(
      'no GPU page could open (out/gpuPage/index.html is missing): training on cpu (test)',
    );
  });
});
