import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { jobMemoryBytes } from '../../engine/memoryLimits';
import type { StartEvent } from '../../engine/train/trainEvents';
import { readsEachStep } from '../../engine/optim/registry';
import { loadRunDatasetInWorker } from '../datasets/workerDatasetLoader';
import { keepRunWeights } from '../weights/runWeights';
import type { StartTrainer, TrainerPort } from '../runner/trainerPort';
import { jobErrorMessage, type FromWorkerMessage, type ToWorkerMessage } from '../runner/workerProtocol';
import { isFromPageMessage, type FromPageMessage, type ToPageMessage } from './pageProtocol';

/** The host's end of a page trainer's MessagePort: Electron's MessagePortMain to a hidden window, or a test's bridge into Chromium. */
export interface PageChannel {
  postMessage(message: ToPageMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The page went away (closed, crashed) other than by close(): why, in a few words. */
  onGone(listener: (why: string) => void): void;
  close(): void;
}

/** Opens a fresh page trainer (one per run, as a worker thread is), ready for the `train` message. */
export type OpenPage = () => Promise<PageChannel>;

/** The backend a run trains on when the page has no GPU. */
const FALLBACK_BACKEND = 'cpu-blas';
/** How long a page may take to load and say it is ready. */
const PAGE_START_MS = 30_000;

export interface PageTrainerOptions {
  openPage: OpenPage;
  /** Starts the worker thread a run trains in when no page can train it. */
  startWorker: StartTrainer;
  /** Accept a software WebGPU adapter (tests; CURVELAB_ALLOW_SOFTWARE_GPU in the app). */
  allowSoftwareAdapter: boolean;
  /** Known already: the pages have no GPU (why). The run goes to a worker without opening one. */
  unavailable?: string | null;
  /** A page found no GPU (why), or none could open. */
  onUnavailable?(why: string): void;
}

/**
 * A run trained in a page (pageTrainer.ts) on Chromium's WebGPU, looking to the RunManager like a
 * worker thread (TrainerPort): it takes the worker's `train` and `cancel` messages and says the worker's
 * messages back, then `exit`. The host does what a page cannot: it loads the run's dataset (in a
 * worker thread of its own) and the weights file it starts from and sends them in, and writes the final
 * weights the page sends back (to the train message's weightsFile, as trainWorker.ts does). The page keeps no checkpoints: the message's
 * `checkpoints` are not passed on.
 *
 * Where the page has no GPU adapter (or only a software one, or no page can open), the run trains in a
 * worker thread on cpu-blas instead, and its start event's backend reason says why. So does a run whose
 * optimizer waits for numbers read back every step (hessian-free): a page cannot wait for its GPU.
 */
export class PageTrainerPort extends EventEmitter implements TrainerPort {
  private page: PageChannel | null = null;
  private worker: TrainerPort | null = null;
  private train: Extract<ToWorkerMessage, { type: 'train' }> | null = null;
  /** What the page gets once it says it is ready. */
  private toPage: ToPageMessage | null = null;
  private startTimer: NodeJS.Timeout | undefined;
  private cancelled = false;
  private ended = false;

  constructor(private readonly options: PageTrainerOptions) {
    super();
  }

  postMessage(message: ToWorkerMessage): void {
    if (message.type === 'cancel') {
      this.cancelled = true;
      this.page?.postMessage(message);
      this.worker?.postMessage(message);
    } else if (message.type === 'train' && this.train === null) {
      this.train = message;
      void this.start(message);
    } else {
      throw new Error(`a page trainer takes one train message and cancel, not ${message.type}`);
    }
  }

  terminate(): Promise<number> {
    if (this.worker) return this.worker.terminate();
    this.end(1);
    return Promise.resolve(1);
  }

  private async start(message: Extract<ToWorkerMessage, { type: 'train' }>): Promise<void> {
    if (this.options.unavailable) return this.trainInWorker(this.options.unavailable);
    if (readsEachStep(message.spec.optimizer)) {
      return this.trainInWorker(`${message.spec.optimizer} waits for numbers read back from the GPU every step, which a page cannot do`, { pagesWork: true });
    }
    try {
      const { spec } = message;
      // In a worker thread: the host is Electron's main process, which must stay free while a large dataset loads.
      const dataset = await loadRunDatasetInWorker(spec);
      const initFrom = spec.initFrom === undefined ? undefined : { file: spec.initFrom, bytes: await readFile(spec.initFrom) };
      this.toPage = {
        type: 'train',
        runId: message.runId,
        spec,
        dataset,
        ...(initFrom ? { initFrom } : {}),
        keepWeights: message.weightsFile !== undefined,
        memoryLimitBytes: jobMemoryBytes(),
        allowSoftwareAdapter: this.options.allowSoftwareAdapter,
      };
    } catch (error) {
      return this.fail(error);
    }
    let page: PageChannel;
    try {
      page = await this.options.openPage();
    } catch (error) {
      return this.trainInWorker(`no GPU page could open (${error instanceof Error ? error.message : String(error)})`);
    }
    if (this.ended) return page.close();
    this.page = page;
    page.onMessage((m) => this.onPageMessage(m));
    page.onGone((why) => {
      if (this.ended || this.page !== page) return;
      this.emit('error', new Error(`the GPU page ${why}`));
      this.end(1);
    });
    this.startTimer = setTimeout(() => {
      if (this.ended || this.page !== page) return;
      this.closePage();
      this.trainInWorker(`the GPU page did not start within ${PAGE_START_MS / 1000} s`);
    }, PAGE_START_MS).unref();
  }

  private onPageMessage(message: unknown): void {
    if (this.ended || !isFromPageMessage(message)) return;
    const m: FromPageMessage = message;
    switch (m.type) {
      case 'ready':
        clearTimeout(this.startTimer);
        this.page!.postMessage(this.toPage!);
        if (this.cancelled) this.page!.postMessage({ type: 'cancel' });
        return;
      case 'event':
      case 'error':
        this.emit('message', m);
        return;
      case 'weights':
        this.keepWeights(m);
        return;
      case 'unavailable':
        this.closePage();
        this.trainInWorker(m.message);
        return;
      case 'ended':
        this.closePage();
        this.end(m.exitCode);
        return;
    }
  }

  private keepWeights(m: Extract<FromPageMessage, { type: 'weights' }>): void {
    const { weightsFile, spec, runId } = this.train!;
    if (weightsFile === undefined) return;
    keepRunWeights(weightsFile, spec, (warning) => console.error(`run ${runId}: ${warning}`))(() => {
      if ('error' in m) throw new Error(m.error);
      return m.weights;
    });
  }

  /**
   * The run trains in a worker thread on cpu-blas, every message of it passed on; its start event says why.
   * pagesWork: the reason is the run's own, and later runs still go to pages.
   */
  private trainInWorker(why: string, { pagesWork = false } = {}): void {
    if (!pagesWork) this.options.onUnavailable?.(why);
    let worker: TrainerPort;
    try {
      worker = this.options.startWorker();
    } catch (error) {
      return this.fail(new Error(`the training worker could not start: ${error instanceof Error ? error.message : String(error)}`));
    }
    this.worker = worker;
    worker.on('message', (message) => this.emit('message', withFallbackReason(message, why)));
    worker.on('error', (error) => this.emit('error', error));
    worker.on('exit', (code) => this.end(code));
    worker.postMessage({ ...this.train!, backend: FALLBACK_BACKEND });
    if (this.cancelled) worker.postMessage({ type: 'cancel' });
  }

  /** The job threw before it could start: reported as a worker reports it, and over. */
  private fail(error: unknown): void {
    this.emit('message', jobErrorMessage(error));
    this.end(1);
  }

  private closePage(): void {
    clearTimeout(this.startTimer);
    const page = this.page;
    this.page = null;
    page?.close();
  }

  private end(exitCode: number): void {
    if (this.ended) return;
    this.ended = true;
    this.closePage();
    this.emit('exit', exitCode);
  }
}

/** RunManagerOptions.startTrainer for the desktop app: every run in a page; after one page found no GPU, the rest straight in workers. */
export function trainInPages(options: Pick<PageTrainerOptions, 'openPage' | 'allowSoftwareAdapter'>): (startWorker: StartTrainer) => TrainerPort {
  let unavailable: string | null = null;
  return (startWorker) => new PageTrainerPort({ ...options, startWorker, unavailable, onUnavailable: (why) => (unavailable = why) });
}

/** A fallback worker's start event, its backend reason led by why the run is not on the GPU. */
function withFallbackReason(message: unknown, why: string): unknown {
  const m = message as FromWorkerMessage;
  if (m?.type !== 'event' || m.event.type !== 'start') return message;
  const event: StartEvent = { ...m.event, backendReason: `${why}: training on ${m.event.backend} (${m.event.backendReason})` };
  return { ...m, event };
}

