/** How often a run saves a checkpoint: every so many steps, or every so many seconds of training. */
export type CheckpointEvery = { steps: number } | { seconds: number };

/** A few minutes of training: a crash loses at most that, and a checkpoint's write is small beside it. */
export const defaultCheckpointEvery: CheckpointEvery = { seconds: 300 };

/**
 * The text of `--checkpoint-every`: a number of steps ("500", "500steps"), or a duration ("90s", "5m",
 * "2h"); null when it is neither (or not positive).
 */
export function parseCheckpointEvery(text: string): CheckpointEvery | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(steps?|s|m|h)?\s*$/.exec(text);
  if (!match) return null;
  const value = Number(match[1]);
  const unit = match[2] ?? 'steps';
  if (unit.startsWith('step')) return Number.isSafeInteger(value) && value >= 1 ? { steps: value } : null;
  const seconds = value * { s: 1, m: 60, h: 3600 }[unit as 's' | 'm' | 'h'];
  return seconds > 0 ? { seconds } : null;
}

/** "every 500 steps", "every 300 s", for messages. */
export function checkpointEveryText(every: CheckpointEvery): string {
  return 'steps' in every ? `every ${every.steps} steps` : `every ${every.seconds} s`;
}
