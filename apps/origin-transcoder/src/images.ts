// Poster, thumbnail candidates and the storyboard sprite + VTT, made after the ladder by two small
// ffmpeg runs (run concurrently): five input seeks for the thumbnails (over HTTP, each a Range read), and joining the storyboard tiles
// the ladder already wrote into one sprite. Neither decodes the source again from start to end.
import { copyFile, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { FFMPEG_QUIET, runFfmpeg } from "./ffmpeg";
import type { LadderImages } from "./ladder";
import type { Logger } from "./log";
import { type SourceFormat, type SourceRef, sourceInputArgs } from "./probe";
import { spriteArgs, spriteGrid, storyboardVtt } from "./storyboard";

/** ffmpeg argv: one frame at each time (fast input seek, then exact), scaled, as thumb_1.jpg … */
export function thumbnailArgs(
  source: SourceRef,
  format: SourceFormat,
  times: readonly number[],
  size: { width: number; height: number },
  dir: string,
): string[] {
  const args: string[] = [...FFMPEG_QUIET];
  for (const t of times) args.push("-ss", String(t), ...sourceInputArgs(source, format));
  times.forEach((_, i) => {
    args.push("-map", `${i}:v:0`, "-frames:v", "1", "-vf", `scale=${size.width}:${size.height},setsar=1`);
    args.push("-q:v", "3", "-update", "1", join(dir, `thumb_${i + 1}.jpg`));
  });
  return args;
}

export interface MadeImages {
  /** Files to upload: storage path → local path. */
  files: { path: string; local: string }[];
  /** storyboard/storyboard.vtt, or null when no sprite could be made. */
  vtt: string | null;
}

const byNumber = (a: string, b: string) => Number(a.match(/\d+/)?.[0]) - Number(b.match(/\d+/)?.[0]);

async function listMatching(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => pattern.test(f)).sort(byNumber);
  } catch {
    return [];
  }
}

/** Makes thumbs/ (poster = the first candidate) and storyboard/ under `outDir`. */
export async function makeImages(opts: {
  /** The source's signed URL (read by Range: each seek fetches only what it decodes) or a path. */
  source: SourceRef;
  /** The demuxer the probe found (the source is read with it only). */
  format: SourceFormat;
  outDir: string;
  /** ffmpeg's working directory: the job's own dir. */
  cwd?: string;
  images: LadderImages;
  durationSeconds: number;
  signal?: AbortSignal;
  log?: Logger;
}): Promise<MadeImages> {
  const { images, outDir, signal, cwd } = opts;
  const thumbsDir = join(outDir, "thumbs");
  const boardDir = join(outDir, "storyboard");
  await Promise.all([mkdir(thumbsDir, { recursive: true }), mkdir(boardDir, { recursive: true })]);

  const thumbnails = async (): Promise<string[]> => {
    await runFfmpeg(
      thumbnailArgs(opts.source, opts.format, images.thumbnails, images.thumbnailSize, thumbsDir),
      { signal, cwd },
    );
    let made = await listMatching(thumbsDir, /^thumb_\d+\.jpg$/);
    if (made.length === 0) {
      // A video shorter than the seek points: take its first frame.
      const first = [...FFMPEG_QUIET, ...sourceInputArgs(opts.source, opts.format), "-frames:v", "1"];
      await runFfmpeg([...first, "-update", "1", join(thumbsDir, "thumb_1.jpg")], { signal, cwd });
      made = ["thumb_1.jpg"];
    }
    await copyFile(join(thumbsDir, made[0] as string), join(thumbsDir, "poster.jpg"));
    return ["poster.jpg", ...made];
  };

  const sprite = async (): Promise<string | null> => {
    const tiles = await listMatching(images.tilesDir, /^tile_\d{5}\.jpg$/);
    if (tiles.length === 0) return null;
    const grid = spriteGrid(tiles.length);
    await runFfmpeg(spriteArgs(join(images.tilesDir, "tile_%05d.jpg"), grid, join(boardDir, "sprite.jpg")), {
      signal,
      cwd,
    });
    return storyboardVtt(images.storyboard, grid, opts.durationSeconds);
  };

  const [thumbs, vtt] = await Promise.all([thumbnails(), sprite()]);
  const files = thumbs.map((f) => ({ path: `thumbs/${f}`, local: join(thumbsDir, f) }));
  if (vtt) files.push({ path: "storyboard/sprite.jpg", local: join(boardDir, "sprite.jpg") });
  else opts.log?.("warn", "no storyboard tiles were written", { durationSeconds: opts.durationSeconds });
  return { files, vtt };
}
