/** A one-line progress display for terminals; elsewhere it stays silent and the caller logs structured lines. */
export interface ProgressBar {
  update(done: number, total: number, label: string): void;
  done(message: string): void;
}

/** A bar on stderr when it is a terminal, or undefined when it is not (logs, CI, pipes). */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar | undefined {
  if (!stream.isTTY) return undefined;
  const width = 30;
  return {
    update(done, total, label) {
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(ratio * width);
      stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${label}`.padEnd(100).slice(0, 100));
    },
    done(message) {
      stream.write(`\r${message.padEnd(100)}\n`);
    },
  };
}
