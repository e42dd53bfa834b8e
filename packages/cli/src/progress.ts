import cliProgress from "cli-progress";

/** Progress of a long command on stderr: a bar on a terminal, plain lines in a log or a pipe. */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  /** Known total (reports to send); 0 when unknown (bytes of a download). */
  total: number;
  format: (value: number) => string;
  stream?: NodeJS.WriteStream;
  /** Plain-line mode: at most one line per this many ms (the last one is always written). */
  plainIntervalMs?: number;
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  return stream.isTTY ? new BarProgress(options, stream) : new LineProgress(options, stream);
}

class BarProgress implements Progress {
  private readonly bar: cliProgress.SingleBar;

  constructor(
    private readonly options: ProgressOptions,
    stream: NodeJS.WriteStream,
  ) {
    const format =
      options.total > 0 ? `${options.label} [{bar}] {percentage}% {shown}` : `${options.label} {shown}`;
    this.bar = new cliProgress.SingleBar(
      { format, stream, hideCursor: true, clearOnComplete: false, barsize: 30 },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(Math.max(options.total, 1), 0, { shown: options.format(0) });
  }

  update(done: number): void {
    this.bar.update(this.options.total > 0 ? done : 0, { shown: this.options.format(done) });
  }

  stop(): void {
    this.bar.stop();
  }
}

class LineProgress implements Progress {
  private lastLineAt = 0;
  private last = 0;
  private written = 0;

  constructor(
    private readonly options: ProgressOptions,
    private readonly stream: NodeJS.WriteStream,
  ) {}

  update(done: number): void {
    this.last = done;
    const now = Date.now();
    if (now - this.lastLineAt < (this.options.plainIntervalMs ?? 0)) return;
    this.lastLineAt = now;
    this.write();
  }

  stop(): void {
    if (this.written !== this.last) this.write();
  }

  private write(): void {
    this.written = this.last;
    this.stream.write(`${this.options.label} ${this.options.format(this.last)}\n`);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}
