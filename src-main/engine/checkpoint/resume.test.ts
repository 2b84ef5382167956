import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset';
import { CheckpointFileError, UserInputError } from '../errors';
import { Rng } from '../rng';
import { train } from '../train/trainer';
import type { DoneEvent, TrainEvent } from '../train/trainEvents';
import type { ModelSpec } from '../../shared/modelSpec';
import type { RunSpec } from '../../shared/runSpec';
import { CHECKPOINT_FORMAT_VERSION } from './checkpointFile';
import { CheckpointFolder } from './checkpointFolder';

const dir = mkdtempSync(join(tmpdir(), 'curvelab-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 6×6 one-channel images of noise with a class-dependent bright pixel: augmented (flips, shifts) like CIFAR. */
function images(seed: number): Dataset {
  const rng = new Rng(seed);
  const split = (n: number) => {
    const x = new Float32Array(n * 36);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 3;
      for (let j = 0; j < 36; j++) x[i * 36 + j] = 0.3 * rng.normal() + (j === 7 * y[i] ? 2 : 0);
    }
    return { x, y, n };
  };
  return { name: 'spots', source: 'test', task: 'classification', inputShape: [6, 6, 1], numClasses: 3, targetSize: 1, train: split(90), validation: split(30), augment: true };
}

/** Every stateful part at once: batch norm's running statistics, dropout masks, augmentation, shuffling. */
const net: ModelSpec = {
  inputShape: [6, 6, 1],
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3 },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dropout', rate: 0.3 },
    { type: 'dense', units: 3 },
  ],
};

const dataset = images(4);
const backend = { name: 'test', reason: 'test' };

function spec(optimizer: string, optimizerOptions: RunSpec['optimizerOptions'] = {}): RunSpec {
  return { dataset: 'spots', arch: net, archOptions: {}, optimizer, optimizerOptions, steps: 40, batchSize: 16, shuffle: true, init: 'default', seed: 5 };
}

/** The run's events, without the seconds (wall-clock time is not part of a trajectory). */
function withoutTime(events: TrainEvent[]): unknown[] {
  return events.map((e) => ('seconds' in e ? { ...e, seconds: 0 } : e));
}

async function trainRun(s: RunSpec, folder: CheckpointFolder | null, stopAfterStep = Infinity): Promise<{ events: TrainEvent[]; done: DoneEvent | null }> {
  const events: TrainEvent[] = [];
  const onEvent = (e: TrainEvent) => {
    events.push(e);
    // A crash: the process dies with no chance to write anything more.
    if (e.type === 'step' && e.step === stopAfterStep) throw new Error('killed');
  };
  try {
    const done = await train(s, dataset, { onEvent, backend, ...(folder ? { checkpoints: { folder, every: { steps: 6 } } } : {}) });
    return { events, done };
  } catch (error) {
    if ((error as Error).message !== 'killed') throw error;
    return { events, done: null };
  }
}

describe('resuming a run from its checkpoint', () => {
  it.each([
    ['curveball', {}],
    ['adam', {}],
    ['momentum', { lrSchedule: 'cosine' }],
  ] as const)('%s: a run killed after step 21 and resumed takes the same steps, epochs and end as one never stopped', async (optimizer, options) => {
    const s = spec(optimizer, options);
    const whole = await trainRun(s, null);
    const folder = new CheckpointFolder(join(dir, `killed-${optimizer}`));
    const killed = await trainRun(s, folder, 21);
    expect(killed.done).toBeNull();
    // Every 6 steps, the last two kept: steps 12 and 18 (the run saw 22 steps).
    expect(folder.files().map((f) => f.step)).toEqual([18, 12]);

    const resumed = await trainRun(s, folder);
    const [start, ...after] = resumed.events;
    expect(start.type).toBe('start');
    const firstStep = after.find((e) => e.type === 'step');
    expect(firstStep).toMatchObject({ step: 18 });
    // From step 18 on, the events are those of the run never stopped: each loss, trace, epoch and the end.
    const fromCheckpoint = whole.events.slice(whole.events.indexOf(whole.events.find((e) => e.type === 'step' && e.step === 18)!));
    expect(withoutTime(after)).toEqual(withoutTime(fromCheckpoint));
    expect(resumed.done!.status).toBe('completed');
    // A completed run has no use for its checkpoints.
    expect(folder.files()).toEqual([]);
  });

  it('a run cancelled between two steps writes a checkpoint there and goes on from it', async () => {
    const s = spec('curveball');
    const whole = await trainRun(s, null);
    const folder = new CheckpointFolder(join(dir, 'cancelled'));
    const cancel = new AbortController();
    const events: TrainEvent[] = [];
    const done = await train(s, dataset, {
      backend,
      signal: cancel.signal,
      checkpoints: { folder, every: { steps: 100 } },
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'step' && e.step === 9) cancel.abort();
      },
    });
    expect(done.status).toBe('cancelled');
    expect(folder.files().map((f) => f.step)).toEqual([10]);
    const resumed = await trainRun(s, folder);
    const steps = (list: TrainEvent[]) => list.filter((e) => e.type === 'step').map((e) => [e.step, e.loss]);
    expect(steps(resumed.events)).toEqual(steps(whole.events).slice(10));
  });
});

describe('checkpoint files that cannot be resumed from', () => {
  const s = spec('adam');

  /** A folder holding the checkpoints of steps 12 and 18 of a run of `s`. */
  async function folderWithTwo(name: string): Promise<CheckpointFolder> {
    const folder = new CheckpointFolder(join(dir, name));
    await trainRun(s, folder, 21);
    expect(folder.files().map((f) => f.step)).toEqual([18, 12]);
    return folder;
  }

  const newest = (folder: CheckpointFolder) => folder.files()[0].file;

  it('a truncated newest checkpoint is refused, naming it, and the run resumes from the one before', async () => {
    const folder = await folderWithTwo('truncated');
    truncateSync(newest(folder), readFileSync(newest(folder)).length - 100);
    const refused: UserInputError[] = [];
    const events: TrainEvent[] = [];
    await train(s, dataset, { backend, onEvent: (e) => events.push(e), checkpoints: { folder, every: { steps: 6 }, onRefused: (e) => refused.push(e) } });
    expect(refused.map((e) => e.message)).toEqual([expect.stringMatching(/step-18\.ckpt: not a readable checkpoint: the file is truncated/)]);
    expect(events.find((e) => e.type === 'step')).toMatchObject({ step: 12 });
  });

  it('a damaged byte is caught by the digest', async () => {
    const folder = await folderWithTwo('damaged');
    const bytes = readFileSync(newest(folder));
    bytes[bytes.length - 3] ^= 0x40;
    writeFileSync(newest(folder), bytes);
    const refused: string[] = [];
    const events: TrainEvent[] = [];
    await train(s, dataset, { backend, onEvent: (e) => events.push(e), checkpoints: { folder, every: { steps: 6 }, onRefused: (e) => refused.push(e.message) } });
    expect(refused).toEqual([expect.stringMatching(/step-18\.ckpt: the file is damaged/)]);
    expect(events.find((e) => e.type === 'step')).toMatchObject({ step: 12 });
  });

  it.each([
    ['another model', { ...s, arch: { layers: [...net.layers.slice(0, 5), { type: 'dense', units: 3, name: 'out' }] } as ModelSpec }, /this is another run's checkpoint: its spec has arch/],
    ['another optimizer', { ...s, optimizer: 'sgd' }, /this is another run's checkpoint: its spec has optimizer "adam", this run's "sgd"/],
    ['another seed', { ...s, seed: 6 }, /its spec has seed 5, this run's 6/],
  ])("%s's checkpoint is refused before the run starts, naming the file", async (_what, other, message) => {
    const folder = await folderWithTwo(`other-${_what.replace(/ /g, '-')}`);
    const events: TrainEvent[] = [];
    const run = train(other as RunSpec, dataset, { backend, onEvent: (e) => events.push(e), checkpoints: { folder, every: { steps: 6 } } });
    await expect(run).rejects.toThrow(UserInputError);
    await expect(run).rejects.toThrow(/no checkpoint of this run can be resumed from: .*step-18\.ckpt: .*; .*step-12\.ckpt: /);
    await expect(run).rejects.toThrow(message);
    expect(events).toEqual([]);
  });

  it('a checkpoint of wrong shapes, or of a newer format, is refused naming the file', async () => {
    const folder = await folderWithTwo('forged');
    const file = newest(folder);
    rmSync(folder.files()[1].file);
    const original = readFileSync(file);
    const forge = (edit: (header: Record<string, unknown>) => void): void => {
      const length = Number(original.readBigUInt64LE(0));
      const header = JSON.parse(original.subarray(8, 8 + length).toString()) as Record<string, unknown>;
      edit(header);
      const text = Buffer.from(JSON.stringify(header));
      const prefix = Buffer.alloc(8);
      prefix.writeBigUInt64LE(BigInt(text.length));
      writeFileSync(file, Buffer.concat([prefix, text, original.subarray(8 + length)]));
    };
    const resume = () => train(s, dataset, { backend, onEvent: () => {}, checkpoints: { folder, every: { steps: 6 } } });

    forge((header) => ((header['__metadata__'] as Record<string, string>)['curvelab.checkpointFormat'] = String(CHECKPOINT_FORMAT_VERSION + 1)));
    await expect(resume()).rejects.toThrow(CheckpointFileError);
    await expect(resume()).rejects.toThrow(`${file}: written in checkpoint format ${CHECKPOINT_FORMAT_VERSION + 1} by a newer CurveLab`);

    // The kernel declared [3, 3, 1, 4] read as [4, 3, 3, 1]: same bytes, wrong shape.
    forge((header) => ((header['param/conv2d_0/kernel'] as { shape: number[] }).shape = [4, 3, 3, 1]));
    await expect(resume()).rejects.toThrow(`${file}: tensor "param/conv2d_0/kernel" has shape [4, 3, 3, 1], but this model's is [3, 3, 1, 4]`);
  });
});
