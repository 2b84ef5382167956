import { describe, expect, it } from 'vitest';
import { DrawQueue, drawSliceMs, type DrawQueueHost } from './drawQueue';

/** A host whose tasks and timers run only when the test says so. */
function fakeHost(): DrawQueueHost & { tasks: (() => void)[]; timers: { at: number; callback: () => void }[]; time: number; runTask(): void; advance(ms: number): void } {
  const host = {
    tasks: [] as (() => void)[],
    timers: [] as { at: number; callback: () => void }[],
    time: 0,
    nextTask: (callback: () => void) => void host.tasks.push(callback),
    after: (ms: number, callback: () => void) => void host.timers.push({ at: host.time + ms, callback }),
    now: () => host.time,
    runTask: () => host.tasks.shift()!(),
    advance(ms: number) {
      host.time += ms;
      const due = host.timers.filter((t) => t.at <= host.time);
      host.timers = host.timers.filter((t) => t.at > host.time);
      for (const t of due) t.callback();
    },
  };
  return host;
}

describe('DrawQueue', () => {
  it('runs jobs in a task, the most urgent first, until its time slice is spent', () => {
    const host = fakeHost();
    const queue = new DrawQueue(host);
    const ran: string[] = [];
    // Each job takes 60 % of a slice: the first task runs two (the second starts within the slice), the next the third.
    const job = (name: string, urgency: number) => ({ run: () => (ran.push(name), (host.time += 0.6 * drawSliceMs)), urgency: () => urgency });
    queue.schedule('below', job('below', 400));
    queue.schedule('inView', job('inView', 0));
    queue.schedule('further', job('further', 900));
    expect(host.tasks).toHaveLength(1);
    host.runTask();
    expect(ran).toEqual(['inView', 'below']);
    expect(host.tasks).toHaveLength(1);
    host.runTask();
    expect(ran).toEqual(['inView', 'below', 'further']);
    expect(host.tasks).toHaveLength(0);
  });

  it('keeps only the latest job of a key, and forgets a cancelled one', () => {
    const host = fakeHost();
    const queue = new DrawQueue(host);
    const ran: string[] = [];
    queue.schedule('loss', { run: () => ran.push('old'), urgency: () => 0 });
    queue.schedule('loss', { run: () => ran.push('new'), urgency: () => 0 });
    queue.schedule('rho', { run: () => ran.push('rho'), urgency: () => 0 });
    queue.cancel('rho');
    while (host.tasks.length > 0) host.runTask();
    expect(ran).toEqual(['new']);
  });

  it('holds a job until its time, and a later notBefore replacing it moves the wait', () => {
    const host = fakeHost();
    const queue = new DrawQueue(host);
    const ran: string[] = [];
    queue.schedule('loss', { run: () => ran.push('first'), urgency: () => 0, notBefore: 100 });
    expect(host.tasks).toHaveLength(0);
    host.advance(50);
    queue.schedule('loss', { run: () => ran.push('second'), urgency: () => 0, notBefore: 150 });
    host.advance(50); // t = 100: the first job's timer fires, but the job now waits until 150
    expect(host.tasks).toHaveLength(0);
    host.advance(50);
    expect(host.tasks).toHaveLength(1);
    host.runTask();
    expect(ran).toEqual(['second']);
  });

  it('goes on after a job that throws', () => {
    const host = fakeHost();
    const queue = new DrawQueue(host);
    const ran: string[] = [];
    queue.schedule('bad', { run: () => { throw new Error('boom'); }, urgency: () => 0 });
    queue.schedule('good', { run: () => ran.push('good'), urgency: () => 1 });
    expect(() => host.runTask()).toThrow('boom');
    host.runTask();
    expect(ran).toEqual(['good']);
  });
});
