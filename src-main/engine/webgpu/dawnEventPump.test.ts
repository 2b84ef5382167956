import { afterEach, describe, expect, it } from 'vitest';
import { dawnEventPumpInstalled, installDawnEventPump, pumpDawnEventsUntil, uninstallDawnEventPump } from './dawnEventPump';

/**
 * The pump without Dawn: a native function without a name stands in for Dawn's tick callback (the
 * bound form of a builtin is exactly that), everything else must pass through untouched.
 */
afterEach(() => uninstallDawnEventPump());

/** A stand-in for Dawn's tick: native code, no name; calls `onTick` with the `this` it is bound to. */
function fakeDawnTick(onTick: () => void): (...args: unknown[]) => void {
  const bound = Function.prototype.call.bind(onTick) as (...args: unknown[]) => void;
  Object.defineProperty(bound, 'name', { value: '' });
  return bound;
}

describe('dawnEventPump', () => {
  it('installs and uninstalls a setImmediate wrapper, keeping its promisified form', () => {
    const real = globalThis.setImmediate;
    installDawnEventPump();
    installDawnEventPump(); // idempotent
    expect(dawnEventPumpInstalled()).toBe(true);
    expect(globalThis.setImmediate).not.toBe(real);
    expect(Object.getOwnPropertySymbols(globalThis.setImmediate)).toEqual(Object.getOwnPropertySymbols(real));
    uninstallDawnEventPump();
    expect(globalThis.setImmediate).toBe(real);
    expect(dawnEventPumpInstalled()).toBe(false);
  });

  it('passes ordinary callbacks through to the event loop', async () => {
    installDawnEventPump();
    const seen = await new Promise<string>((resolve) => setImmediate((value: string) => resolve(value), 'through'));
    expect(seen).toBe('through');
  });

  it('runs a scheduled Dawn tick in place, and only once', async () => {
    installDawnEventPump();
    let ticks = 0;
    setImmediate(fakeDawnTick(() => ticks++));
    pumpDawnEventsUntil(() => ticks > 0, 'the fake tick');
    expect(ticks).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 5)); // the event loop's turn: it must not run again
    expect(ticks).toBe(1);
  });

  it('keeps running ticks that reschedule themselves until the condition holds', () => {
    installDawnEventPump();
    let ticks = 0;
    const tick = fakeDawnTick(() => {
      ticks++;
      setImmediate(tick);
    });
    setImmediate(tick);
    pumpDawnEventsUntil(() => ticks >= 5, 'five ticks');
    expect(ticks).toBe(5);
  });

  it('says so when nothing is scheduled, instead of waiting forever', () => {
    installDawnEventPump();
    expect(() => pumpDawnEventsUntil(() => false, 'a buffer')).toThrow(/Dawn scheduled no event processing/);
    uninstallDawnEventPump();
    expect(() => pumpDawnEventsUntil(() => false, 'a buffer')).toThrow(/not installed/);
  });
});
