/** One-line terminal progress bar, redrawn in place on a TTY and printed at 10% steps otherwise. */
export function progressBar(label: string) {
  const tty = process.stdout.isTTY;
  let lastStep = -1;
  const started = Date.now();
  return {
    update(fraction: number, detail: string) {
      const pct = Math.max(0, Math.min(1, fraction));
      const width = 30;
      const filled = Math.round(pct * width);
      const line = `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(pct * 100).toFixed(0).padStart(3)}% ${detail}`;
      if (tty) process.stdout.write(`\r${line}\x1b[K`);
      else if (Math.floor(pct * 10) !== lastStep) {
        lastStep = Math.floor(pct * 10);
        process.stdout.write(`${line}\n`);
      }
    },
    done(message: string) {
      if (tty) process.stdout.write("\n");
      process.stdout.write(`${label} ${message} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
    },
  };
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
