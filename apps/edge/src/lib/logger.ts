export type LogLevel = "debug" | "info" | "warn" | "error";
export type Logger = (level: LogLevel, fields: Record<string, unknown>) => void;

/** One JSON object per line, always carrying the request id so a request's lines can be joined. */
export function createLogger(base: Record<string, unknown>): Logger {
  return (level, fields) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, ...base, ...fields });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
}
