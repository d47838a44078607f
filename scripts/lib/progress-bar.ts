/**
 * One-line terminal progress bar: on a TTY one line redrawn in place (`\r`, then clear to the end of
 * the line); otherwise (a log file, CI) a line per 10 % step, so a log is not flooded.
 */

export const BAR_WIDTH = 30;

/** `label [#####-----]  50% detail`, the fraction clamped to [0, 1]. */
export function renderBar(label: string, fraction: number, detail: string, width = BAR_WIDTH): string {
  const pct = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
  const filled = Math.round(pct * width);
  const percent = `${Math.floor(pct * 100 + 1e-9)}`.padStart(3);
  return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent}%${detail ? ` ${detail}` : ""}`;
}

/**
 * What to write for each update and for the end, as text: pure, so both modes are testable. On a TTY
 * every update is written (rewriting the line); otherwise only the first update of each 10 % step.
 */
export function barWriter(label: string, tty: boolean) {
  let lastStep = -1;
  return {
    update(fraction: number, detail: string): string {
      const line = renderBar(label, fraction, detail);
      if (tty) return `\r${line}\x1b[K`;
      const step = Math.floor(Math.max(0, Math.min(1, fraction)) * 10);
      if (step === lastStep) return "";
      lastStep = step;
      return `${line}\n`;
    },
    done(message: string, seconds: number): string {
      return `${tty ? "\n" : ""}${label} ${message} (${seconds.toFixed(1)}s)\n`;
    },
  };
}

/** A bar on `stream` (stdout by default), redrawn in place when that stream is a terminal. */
export function progressBar(
  label: string,
  stream: { isTTY?: boolean; write(text: string): unknown } = process.stdout,
) {
  const writer = barWriter(label, Boolean(stream.isTTY));
  const started = Date.now();
  const write = (text: string) => {
    if (text) stream.write(text);
  };
  return {
    update: (fraction: number, detail: string) => write(writer.update(fraction, detail)),
    done: (message: string) => write(writer.done(message, (Date.now() - started) / 1000)),
  };
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
