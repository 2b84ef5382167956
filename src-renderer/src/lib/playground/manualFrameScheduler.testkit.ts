import type { FrameScheduler } from './playgroundState.svelte';

/** A FrameScheduler the test drives: `frame(t)` runs the callbacks waiting for the next frame at time t. */
export class ManualFrameScheduler implements FrameScheduler {
  #next = 1;
  #waiting = new Map<number, (timeMs: number) => void>();

  request(callback: (timeMs: number) => void): number {
    const handle = this.#next++;
    this.#waiting.set(handle, callback);
    return handle;
  }

  cancel(handle: number): void {
    this.#waiting.delete(handle);
  }

  get pending(): number {
    return this.#waiting.size;
  }

  frame(timeMs: number): void {
    const callbacks = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const callback of callbacks) callback(timeMs);
  }
}
