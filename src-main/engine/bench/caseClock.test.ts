import { describe, expect, it } from 'vitest';
import { caseClock } from './caseClock';

describe('caseClock', () => {
  it('gives every case its own cap when there is no budget', () => {
    const clock = caseClock(20, undefined, 12, () => 1000);
    expect([clock.capFor(4), clock.capFor(), clock.capFor()]).toEqual([20, 20, 20]);
  });

  it('shares out what is left of the budget over the cases left, from the call on', () => {
    let now = 50;
    const clock = caseClock(20, 240, 12, () => now);
    expect(clock.capFor(4)).toBe(20); // 240 s over 12 cases; 8 are left
    now = 50 + 100;
    expect(clock.capFor()).toBe(17.5); // 140 s over 8; 7 left
    now = 50 + 135;
    expect(clock.capFor()).toBe(15); // 105 s over 7; 6 left
    now = 50 + 300;
    expect(clock.capFor()).toBe(0); // past the budget
  });

  it("never gives a case more than its own cap", () => {
    const clock = caseClock(20, 600, 4, () => 0);
    expect(clock.capFor()).toBe(20); // the share would be 150 s
  });
});
