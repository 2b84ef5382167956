import { EventEmitter } from 'node:events';
import type { TrainEvent } from '../../engine/train/trainEvents';
import type { TrainerPort } from './trainerPort';
import type { FromWorkerMessage, ToWorkerMessage } from './workerProtocol';

/** A trainer that trains nothing: it keeps what it is posted and answers each message with `answer` (after the post returns, as a worker would). */
export class FakeTrainer extends EventEmitter implements TrainerPort {
  readonly posted: ToWorkerMessage[] = [];
  terminated = false;

  constructor(private readonly answer: (message: ToWorkerMessage, trainer: FakeTrainer) => void = () => {}) {
    super();
  }

  postMessage(message: ToWorkerMessage): void {
    this.posted.push(message);
    queueMicrotask(() => this.answer(message, this));
  }

  say(message: FromWorkerMessage): void {
    this.emit('message', message);
  }

  terminate(): Promise<number> {
    this.terminated = true;
    queueMicrotask(() => this.emit('exit', 1));
    return Promise.resolve(1);
  }
}

/** An answer: `train` gets these events of its run, then the trainer exits with 0. */
export function answersTrainWith(events: TrainEvent[]): (message: ToWorkerMessage, trainer: FakeTrainer) => void {
  return (message, trainer) => {
    if (message.type !== 'train') return;
    for (const event of events) trainer.say({ type: 'event', runId: message.runId, event });
    trainer.emit('exit', 0);
  };
}
