import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progressBar';

/** A stream that is not a terminal: the bar writes a line every tenth of the way. */
function pipe() {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (text: string) => lines.push(text) } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

describe('ProgressBar', () => {
  it('takes fractional progress and shows whole units', () => {
    const { stream, lines } = pipe();
    const bar = new ProgressBar(4, stream);
    bar.update(0, 'runs');
    bar.update(1.5, 'runs');
    bar.update(4, 'runs');
    expect(lines[0]).toBe('  0% 0/4 runs\n');
    expect(lines[1]).toMatch(/^ 37% 1\/4 runs ETA \d/);
    expect(lines[2]).toBe('100% 4/4 runs\n');
  });

  it('with work done before it started, the ETA goes by the pace since', async () => {
    const { stream, lines } = pipe();
    const bar = new ProgressBar(10, stream, 28, 8);
    bar.update(8, 'runs');
    expect(lines[0]).toBe(' 80% 8/10 runs\n'); // nothing done since: no pace yet
    await new Promise((resolve) => setTimeout(resolve, 200));
    bar.update(9, 'runs');
    // One unit in about 0.2 s, one left: about 0.2 s (from the start it would look like 8 units in 0.2 s).
    const eta = Number(/ETA (\d+\.\d)s/.exec(lines[1]!)![1]);
    expect(eta).toBeGreaterThanOrEqual(0.2);
    expect(eta).toBeLessThan(1);
  });
});
