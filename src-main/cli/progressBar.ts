/**
 * A one-line progress bar on a terminal (redrawn at most ten times a second), or a plain line every
 * tenth of the way when the output is a file or a pipe. `done` may be fractional (a study's runs, the
 * ones training counted by their steps); the count shows whole units.
 */
export class ProgressBar {
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly started = performance.now();

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 28,
    /** Done before this bar started (a resumed study): the ETA goes by the pace since. */
    private readonly from = 0,
  ) {}

  update(done: number, detail: string): void {
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 1;
    if (this.stream.isTTY) {
      const now = performance.now();
      if (now - this.lastDraw < 100 && done < this.total) return;
      this.lastDraw = now;
      const filled = Math.round(fraction * this.width);
      const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
      const line = `${bar} ${percent(fraction)} ${Math.floor(done)}/${this.total} ${detail} ${this.eta(done)}`;
      this.stream.write(`\r${line.slice(0, (this.stream.columns ?? 120) - 1)}\x1b[K`);
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.stream.write(`${`${percent(fraction)} ${Math.floor(done)}/${this.total} ${detail} ${this.eta(done)}`.trimEnd()}\n`);
    }
  }

  /** Clears the bar so the next line starts clean. */
  finish(): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[K');
  }

  private eta(done: number): string {
    if (done <= this.from || done >= this.total) return '';
    const elapsed = (performance.now() - this.started) / 1000;
    return `ETA ${formatSeconds((elapsed * (this.total - done)) / (done - this.from))}`;
  }
}

function percent(fraction: number): string {
  return `${Math.floor(fraction * 100)}%`.padStart(4);
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Math.round(s - m * 60).toString().padStart(2, '0')}s`;
}
