/**
 * Lets synchronous code wait for Dawn: the one trick that makes `tensor.dataSync()` work on the
 * webgpu backend in Node.
 *
 * Dawn's Node binding (the `webgpu` package) completes asynchronous work (buffer mapping, work-done
 * callbacks) only when it processes events, and it does that in a callback it schedules with the
 * global `setImmediate` (looked up on `globalThis` each time, while any async operation is pending).
 * A synchronous caller never yields to the event loop, so such a callback would never run and a
 * `mapAsync` would never finish. While installed, this module wraps `globalThis.setImmediate`: Dawn's
 * callbacks (native functions without a name) are still scheduled as usual, but are also remembered,
 * so `pumpDawnEventsUntil` can run them in place until the awaited condition holds. Every other
 * callback goes straight to the real `setImmediate`, and a remembered callback runs only once, whoever
 * runs it first.
 */

interface PendingTick {
  ran: boolean;
  run(): void;
}

let original: typeof setImmediate | null = null;
let wrapper: typeof setImmediate | null = null;
let pending: PendingTick[] = [];

/** Dawn's tick callbacks are created in C++ (Napi::Function::New): native code without a name. */
function isDawnTick(callback: unknown): callback is (...args: unknown[]) => void {
  return typeof callback === 'function' && callback.name === '' && Function.prototype.toString.call(callback).includes('[native code]');
}

/** Wraps globalThis.setImmediate (idempotent). Must be in place before Dawn schedules anything. */
export function installDawnEventPump(): void {
  if (original) return;
  const real = globalThis.setImmediate;
  const wrapped = function setImmediate(callback: unknown, ...args: unknown[]) {
    if (!isDawnTick(callback)) return (real as (...a: unknown[]) => NodeJS.Immediate)(callback, ...args);
    const tick: PendingTick = {
      ran: false,
      run() {
        if (tick.ran) return;
        tick.ran = true;
        pending = pending.filter((t) => t !== tick);
        callback(...args);
      },
    };
    pending.push(tick);
    return real(tick.run);
  } as typeof setImmediate;
  // Keep what hangs off the real function (util.promisify's custom form, __promisify__).
  for (const key of Reflect.ownKeys(real)) {
    if (key === 'name' || key === 'length' || key === 'prototype') continue;
    Object.defineProperty(wrapped, key, Object.getOwnPropertyDescriptor(real, key)!);
  }
  original = real;
  wrapper = wrapped;
  globalThis.setImmediate = wrapped;
}

/** Puts the real setImmediate back (if nobody replaced ours meanwhile). Scheduled ticks still run. */
export function uninstallDawnEventPump(): void {
  if (!original) return;
  if (globalThis.setImmediate === wrapper) globalThis.setImmediate = original;
  original = null;
  wrapper = null;
  pending = [];
}

export function dawnEventPumpInstalled(): boolean {
  return original !== null;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs Dawn's pending event processing in place until `done()` holds, sleeping a little between
 * rounds (up to 1 ms) so the driver's own threads — lavapipe runs shaders on the CPU — get the cores.
 * Throws if Dawn has nothing scheduled (it would never finish) or after `timeoutMs`.
 */
export function pumpDawnEventsUntil(done: () => boolean, what: string, timeoutMs = 120_000): void {
  if (!original) throw new Error(`cannot wait for ${what}: the Dawn event pump is not installed`);
  const start = performance.now();
  let pauseMs = 0;
  while (!done()) {
    const tick = pending[0];
    if (!tick) throw new Error(`cannot wait for ${what}: Dawn scheduled no event processing (has its Node binding changed?)`);
    tick.run();
    if (done()) return;
    if (performance.now() - start > timeoutMs) throw new Error(`gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s`);
    pauseMs = Math.min(1, pauseMs + 0.02);
    Atomics.wait(sleeper, 0, 0, pauseMs);
  }
}
