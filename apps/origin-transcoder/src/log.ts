// One JSON object per line: info to stdout, warn/error to stderr.
export type LogLevel = "info" | "warn" | "error";
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

export const log: Logger = (level, msg, fields = {}) => {
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    service: "origin-transcoder",
    msg,
    ...fields,
  });
  (level === "info" ? process.stdout : process.stderr).write(`${line}\n`);
};

/** Message of any thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
