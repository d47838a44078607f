// ffmpeg `-progress` output: blocks of key=value lines, each ending with `progress=continue` or
// `progress=end`. Pure: imported by the tests under Node.

export interface FfmpegProgress {
  /** Output position in seconds (from out_time_us, else out_time_ms, else out_time); null if N/A. */
  outTimeSeconds: number | null;
  /** Encoding speed relative to real time (speed=1.5x), if reported. */
  speed: number | null;
  /** True on the final block (progress=end). */
  done: boolean;
}

function micros(value: string | undefined): number | null {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return null;
  const n = Number(value);
  return n >= 0 ? n / 1e6 : null;
}

/** "HH:MM:SS.micro" → seconds. */
function clock(value: string | undefined): number | null {
  const m = value?.trim().match(/^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/);
  if (!m || m[1] === "-") return null;
  return Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/** One block's fields → FfmpegProgress. */
export function progressFromFields(fields: ReadonlyMap<string, string>): FfmpegProgress {
  // out_time_ms is in microseconds too (a historical misnomer in ffmpeg).
  const outTimeSeconds =
    micros(fields.get("out_time_us")) ?? micros(fields.get("out_time_ms")) ?? clock(fields.get("out_time"));
  const speedMatch = fields
    .get("speed")
    ?.trim()
    .match(/^(\d+(?:\.\d+)?)x$/);
  return {
    outTimeSeconds,
    speed: speedMatch ? Number(speedMatch[1]) : null,
    done: fields.get("progress")?.trim() === "end",
  };
}

/** Incremental parser: feed it stdout chunks, get a FfmpegProgress per completed block. */
export class ProgressParser {
  private buffer = "";
  private fields = new Map<string, string>();

  push(chunk: string): FfmpegProgress[] {
    this.buffer += chunk;
    const out: FfmpegProgress[] = [];
    let nl = this.buffer.indexOf("\n");
    while (nl >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, "");
      this.buffer = this.buffer.slice(nl + 1);
      nl = this.buffer.indexOf("\n");
      const eq = line.indexOf("=");
      if (eq <= 0) continue;
      const key = line.slice(0, eq).trim();
      this.fields.set(key, line.slice(eq + 1));
      if (key === "progress") {
        out.push(progressFromFields(this.fields));
        this.fields = new Map();
      }
    }
    return out;
  }
}

/** 0–100 through the video, given its duration; 100 once ffmpeg says `progress=end`. */
export function progressPercent(p: FfmpegProgress, durationSeconds: number): number {
  if (p.done) return 100;
  if (p.outTimeSeconds === null || !(durationSeconds > 0)) return 0;
  return Math.min(100, Math.max(0, (p.outTimeSeconds / durationSeconds) * 100));
}
