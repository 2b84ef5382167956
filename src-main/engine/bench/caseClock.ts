/** Hands out each case's time cap; see caseClock. */
export interface CaseClock {
  /** The seconds each of the next `count` cases may spend timing steps (counted off the cases left). */
  capFor(count?: number): number;
}

/**
 * Caps on the time each benchmark case spends timing steps. Without a budget every case gets
 * `perCaseSeconds`. With one (seconds for the whole command, from this call), a case gets the smaller of
 * `perCaseSeconds` and an equal share of the budget left over the cases left, so that time a case spent
 * on its set-up and warm-up comes off the cases after it; past the budget the share is 0 (a case still
 * times its 2 steps). `now` is in seconds.
 */
export function caseClock(perCaseSeconds: number, budgetSeconds: number | undefined, cases: number, now: () => number = () => performance.now() / 1000): CaseClock {
  const start = now();
  let casesLeft = cases;
  return {
    capFor(count = 1) {
      if (budgetSeconds === undefined) return perCaseSeconds;
      const share = Math.max(0, budgetSeconds - (now() - start)) / Math.max(1, casesLeft);
      casesLeft -= count;
      return Math.min(perCaseSeconds, share);
    },
  };
}
