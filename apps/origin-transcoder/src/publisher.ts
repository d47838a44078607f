// Progressive publish: while ffmpeg encodes, poll the output directory and upload what is finished,
// in an order that never lets storage hold a playlist that references a missing object.
//
// Rules (docs/media-pipeline.md, "The origin (as built)"):
// 1. A segment (or init segment) is finished once the rendition's playlist lists it: ffmpeg closes a
//    segment before it rewrites the playlist, and renames EVENT playlists into place atomically.
// 2. Each tick reads every rendition's playlist once (a snapshot), uploads the segments it lists that
//    are not stored yet, and only then uploads that snapshot (EVENT, no ENDLIST while encoding).
// 3. The master goes up once every rendition (each rung and the audio) has a stored playlist with at
//    least one segment (the master names every one; a player fetches one and expects a segment) —
//    with half-second first segments that is soon after ffmpeg starts; then the stream is playable
//    (onPlayable). Until then the output is polled every FIRST_PLAYABLE_POLL_MS, nothing goes up
//    until every rendition has its first segment, and then all of them go up in one batch with the
//    master last.
// 4. Nothing is uploaded twice: files are tracked by path + size, in-memory texts by path + content.
// 5. drain() after ffmpeg exits publishes the final playlists (with ENDLIST, typed VOD) and checks
//    every one ended.
// 6. The audio, cut by ffmpeg into half-second pieces, is published as segments joined from them that
//    end where the video's do (tail.ts); its sub-second last segment is joined to the one before,
//    which is held back while ffmpeg runs, so a stored segment never changes.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { SignedOutput } from "@marquee/shared";
import { type OutputFile, sleep } from "./edge-client";
import type { Logger } from "./log";
import {
  baseName,
  contentTypeFor,
  firstSegments,
  isCompletePlaylist,
  isCutTime,
  type MediaPlaylist,
  parseMediaPlaylist,
  publishedVariantPlaylist,
  type RenditionStats,
  type SegmentSchedule,
  type SegmentStat,
  withTargetDuration,
} from "./playlist";
import {
  type AudioGroup,
  groupAudioChunks,
  planTailMerge,
  TAIL_HOLD_BACK_SECONDS,
  writeJoinedTail,
} from "./tail";

/** Where outputs go: the edge's `outputs` signing plus PUTs to the signed URLs. */
export interface OutputSink {
  outputs(files: readonly OutputFile[], signal: AbortSignal): Promise<SignedOutput[]>;
  uploadFile(signed: SignedOutput, filePath: string, contentType: string, signal: AbortSignal): Promise<void>;
  uploadBytes(
    signed: SignedOutput,
    bytes: Uint8Array,
    contentType: string,
    signal: AbortSignal,
  ): Promise<void>;
}

export interface PublisherOptions {
  sink: OutputSink;
  /** Local output root (hls/, thumbs/, storyboard/ beneath), mirroring videos/{videoId}/. */
  outDir: string;
  /** Rendition directories under hls/: every rung and "audio" when there is audio. */
  renditions: readonly string[];
  /** The master playlist to publish once every rendition has a segment. */
  master: () => string;
  /** The job's signal: aborts uploads in flight. */
  signal: AbortSignal;
  intervalMs?: number;
  /** Parallel uploads. */
  concurrency?: number;
  onPlayable?: () => void;
  /**
   * Renditions cut by ffmpeg into pieces of chunkSeconds(schedule), joined into the schedule's
   * segments, and whose sub-second last segment is joined to the one before (tail.ts): the audio. While
   * ffmpeg runs, their segments ending within TAIL_HOLD_BACK_SECONDS of `expectedSeconds` (the probed
   * duration) are held back, so the segment a tail joins has never been stored.
   */
  joinShortTail?: { renditions: readonly string[]; expectedSeconds: number; schedule: SegmentSchedule };
  /** A tick failed (after the client's retries): the job should stop. */
  onError?: (err: unknown) => void;
  log?: Logger;
}

interface RenditionState {
  /** ffmpeg's playlist text the stored one was made from. */
  raw: string | null;
  /** The last playlist text stored (published form). */
  text: string | null;
  playlist: MediaPlaylist | null;
}

interface PendingFile {
  path: string;
  local: string;
  size: number;
}

interface PendingText {
  path: string;
  bytes: Uint8Array;
  text: string;
}

export const MASTER_PATH = "hls/master.m3u8";
/** Poll interval (ms) until the stream is playable (then `intervalMs`). */
export const FIRST_PLAYABLE_POLL_MS = 50;

/**
 * Parallel uploads of the first batch (every rendition's init and first segment, a dozen small
 * files for a 1080p ladder): all at once, since the time to playable waits for the slowest.
 */
export const FIRST_BATCH_CONCURRENCY = 16;

/** Runs `fn` over `items`, at most `limit` at a time; rejects on the first failure. */
async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class Publisher {
  private readonly files = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private readonly state = new Map<string, RenditionState>();
  private readonly stopLoop = new AbortController();
  private loop: Promise<void> | null = null;
  private failure: unknown = null;
  private masterStored = false;
  /** Joined audio segments already written (local paths). */
  private readonly groups = new Set<string>();
  /** Number of PUTs made (for logs and tests). */
  uploads = 0;

  constructor(private readonly opts: PublisherOptions) {
    for (const r of opts.renditions) this.state.set(r, { raw: null, text: null, playlist: null });
  }

  get playable(): boolean {
    return this.masterStored;
  }

  /** Starts polling the output directory. */
  start(): void {
    this.loop ??= this.run();
  }

  private async run(): Promise<void> {
    const interval = this.opts.intervalMs ?? 500;
    while (!this.stopLoop.signal.aborted && !this.opts.signal.aborted) {
      try {
        await this.tick();
      } catch (err) {
        if (this.opts.signal.aborted) return;
        this.failure = err;
        this.opts.onError?.(err);
        return;
      }
      try {
        // Until the master is out, look more often: every tick saved is time to playable.
        const wait = this.masterStored ? interval : Math.min(interval, FIRST_PLAYABLE_POLL_MS);
        await sleep(wait, AbortSignal.any([this.stopLoop.signal, this.opts.signal]));
      } catch {
        return;
      }
    }
  }

  /** After ffmpeg exited 0: stop polling, publish the final playlists, check every rendition ended. */
  async drain(): Promise<void> {
    this.stopLoop.abort();
    await this.loop;
    if (this.failure) throw this.failure;
    await this.tick();
    for (const [name, s] of this.state) {
      if (!s.playlist?.ended) throw new Error(`rendition ${name} has no finished playlist`);
    }
    if (!this.masterStored) throw new Error("the master playlist was not published");
  }

  /** Stops polling without publishing anything more (job aborted). */
  stop(): void {
    this.stopLoop.abort();
  }

  /** Durations and stored sizes of each rendition's segments, from its last stored playlist. */
  segmentStats(): Map<string, SegmentStat[]> {
    const out = new Map<string, SegmentStat[]>();
    for (const [name, s] of this.state) {
      const segs = s.playlist?.segments ?? [];
      out.set(
        name,
        segs.map((seg) => ({
          duration: seg.duration,
          bytes: this.files.get(`hls/${name}/${baseName(seg.uri)}`) ?? 0,
        })),
      );
    }
    return out;
  }

  /** What each rendition's bitrates are measured from: stored segments, init segment, target. */
  renditionStats(): Map<string, RenditionStats> {
    const out = new Map<string, RenditionStats>();
    for (const [name, segments] of this.segmentStats()) {
      const pl = this.state.get(name)?.playlist;
      const init = pl?.mapUri ? this.files.get(`hls/${name}/${baseName(pl.mapUri)}`) : undefined;
      out.set(name, { segments, initBytes: init ?? 0, targetDuration: pl?.targetDuration ?? 0 });
    }
    return out;
  }

  /** Media segments stored across all renditions. */
  segmentCount(): number {
    let n = 0;
    for (const s of this.state.values()) n += s.playlist?.segments.length ?? 0;
    return n;
  }

  /** Publishes a text output (e.g. the final master, the storyboard VTT) unless stored as is. */
  async publishText(path: string, text: string): Promise<void> {
    if (this.texts.get(path) === text) return;
    await this.upload([], [{ path, text, bytes: new TextEncoder().encode(text) }]);
  }

  /** Publishes local files (thumbnails, sprite) unless stored with the same size. */
  async publishFiles(list: readonly { path: string; local: string }[]): Promise<void> {
    const pending: PendingFile[] = [];
    for (const f of list) {
      const { size } = await stat(f.local);
      if (this.files.get(f.path) !== size) pending.push({ ...f, size });
    }
    await this.upload(pending, []);
  }

  /** One pass over the renditions' playlists. */
  private async tick(): Promise<void> {
    const hls = join(this.opts.outDir, "hls");
    const files: PendingFile[] = [];
    const texts: PendingText[] = [];
    const updates: { name: string; raw: string; text: string; playlist: MediaPlaylist }[] = [];
    for (const [name, s] of this.state) {
      let raw: string;
      try {
        raw = await readFile(join(hls, name, "playlist.m3u8"), "utf8");
      } catch {
        continue; // not written yet
      }
      if (!isCompletePlaylist(raw) || raw === s.raw) continue;
      const shaped = await this.shape(name, raw);
      if (!shaped || shaped.text === s.text) continue;
      const { text, playlist } = shaped;
      const refs = [...(playlist.mapUri ? [playlist.mapUri] : []), ...playlist.segments.map((x) => x.uri)];
      const mine: PendingFile[] = [];
      let missing = false;
      for (const uri of refs) {
        const file = baseName(uri);
        const local = shaped.local.get(uri) ?? join(hls, name, file);
        const path = `hls/${name}/${file}`;
        let size: number;
        try {
          size = (await stat(local)).size;
        } catch {
          missing = true; // listed but absent: never publish this snapshot
          break;
        }
        const stored = this.files.get(path);
        if (stored === size) continue;
        if (stored !== undefined) {
          this.opts.log?.("warn", "segment changed after it was listed; uploading again", {
            path,
            stored,
            size,
          });
        }
        mine.push({ path, local, size });
      }
      if (missing) {
        this.opts.log?.("warn", "playlist lists a file that is not on disk; waiting", { rendition: name });
        continue;
      }
      files.push(...mine);
      texts.push({ path: `hls/${name}/playlist.m3u8`, text, bytes: new TextEncoder().encode(text) });
      updates.push({ name, raw, text, playlist });
    }
    if (!this.masterStored) {
      // Until the master is out, wait for every rendition's first segment and publish them all with
      // the master in one batch (one signing call, every file at once, then the playlists, then the
      // master): nothing is playable before the last rendition has a segment, and an early partial
      // batch would hold up that last one by a whole round of uploads.
      const ready = new Set(updates.map((u) => u.name));
      const waiting = [...this.state].some(
        ([name, s]) => !ready.has(name) && (s.playlist?.segments.length ?? 0) === 0,
      );
      if (waiting) return;
      const master = this.opts.master();
      const masterText = { path: MASTER_PATH, text: master, bytes: new TextEncoder().encode(master) };
      await this.upload(files, texts, [masterText], FIRST_BATCH_CONCURRENCY);
      for (const u of updates) this.state.set(u.name, { raw: u.raw, text: u.text, playlist: u.playlist });
      this.masterStored = true;
      this.opts.onPlayable?.();
      return;
    }
    if (texts.length > 0) {
      await this.upload(files, texts);
      for (const u of updates) this.state.set(u.name, { raw: u.raw, text: u.text, playlist: u.playlist });
    }
  }

  /**
   * ffmpeg's playlist as it is to be stored: published form (local init URI, VOD once ended, a
   * steady TARGETDURATION); for a rendition in joinShortTail (the audio), ffmpeg's half-second pieces
   * joined into the schedule's segments (groupAudioChunks), cut before the held-back segments while
   * unfinished, and with a sub-second tail joined once ended (`local` maps a joined segment's URI to
   * its file). Null when nothing of it can be stored yet.
   */
  private async shape(
    name: string,
    raw: string,
  ): Promise<{ text: string; playlist: MediaPlaylist; local: Map<string, string> } | null> {
    let text = publishedVariantPlaylist(raw);
    const local = new Map<string, string>();
    const tail = this.opts.joinShortTail;
    if (tail?.renditions.includes(name)) {
      const dir = join(this.opts.outDir, "hls", name);
      const grouped = groupAudioChunks(text, (t) => isCutTime(tail.schedule, t));
      if (!grouped) return null;
      text = grouped.text;
      const parsed = parseMediaPlaylist(text);
      if (!parsed.ended) {
        const until = tail.expectedSeconds - TAIL_HOLD_BACK_SECONDS;
        let keep = 0;
        let end = 0;
        for (const seg of parsed.segments) {
          end += seg.duration;
          if (end > until) break;
          keep++;
        }
        text = firstSegments(text, keep);
      }
      const listed = new Set(parseMediaPlaylist(text).segments.map((seg) => seg.uri));
      for (const g of grouped.groups) {
        if (listed.has(g.uri)) local.set(g.uri, await this.groupFile(dir, g));
      }
      // Joined until the last segment lasts a second: a clip under 2 s can end in the schedule's
      // half-second first segments, so a joined tail may still be short (0.5 + 0.5 + 0.2 s → 1.2 s).
      const isStored = (uri: string) => this.files.has(`hls/${name}/${baseName(uri)}`);
      let merge = parsed.ended ? planTailMerge(text, isStored) : null;
      for (let n = 1; merge; n++, merge = planTailMerge(text, isStored)) {
        // Joining again into a segment already stored would drop another listed segment from the
        // playlist (only the first join may, when the probe was wrong): a short tail stays then.
        if (n > 1 && isStored(merge.from[0] as string)) break;
        // A name per join: a second join may read the first one's file.
        const dest = join(dir, `joined-${n}-${baseName(merge.uri)}`);
        const from = merge.from.map((u) => local.get(u) ?? join(dir, baseName(u)));
        const size = await writeJoinedTail(from, dest);
        local.set(merge.uri, dest);
        text = merge.text;
        this.opts.log?.("info", "short tail segment joined to the one before", {
          rendition: name,
          segments: merge.from,
          as: merge.uri,
          seconds: merge.duration,
          size,
        });
      }
    }
    text = withTargetDuration(text);
    const playlist = parseMediaPlaylist(text);
    if (playlist.segments.length === 0) return null;
    return { text, playlist, local };
  }

  /**
   * The local file of an audio segment made of ffmpeg's pieces: the piece itself when it is one piece
   * of the same name, else the pieces joined once into `group-{uri}` (a closed group never changes).
   */
  private async groupFile(dir: string, group: AudioGroup): Promise<string> {
    const [only] = group.from;
    if (group.from.length === 1 && only !== undefined && baseName(only) === group.uri) {
      return join(dir, group.uri);
    }
    const dest = join(dir, `group-${group.uri}`);
    if (!this.groups.has(dest)) {
      await writeJoinedTail(
        group.from.map((u) => join(dir, baseName(u))),
        dest,
      );
      this.groups.add(dest);
    }
    return dest;
  }

  /**
   * Signs everything in one go, uploads the files, only then the texts (playlists), and only then
   * the `last` texts (the master): storage never holds a text naming something not yet stored.
   */
  private async upload(
    files: readonly PendingFile[],
    texts: readonly PendingText[],
    last: readonly PendingText[] = [],
    limit = this.opts.concurrency ?? 4,
  ): Promise<void> {
    if (files.length === 0 && texts.length === 0 && last.length === 0) return;
    const { sink, signal } = this.opts;
    const asks: OutputFile[] = [
      ...files.map((f) => ({ path: f.path, contentType: contentTypeFor(f.path), size: f.size })),
      ...[...texts, ...last].map((t) => ({
        path: t.path,
        contentType: contentTypeFor(t.path),
        size: t.bytes.byteLength,
      })),
    ];
    const signed = await sink.outputs(asks, signal);
    await mapLimit(
      files.map((f, i) => ({ f, s: signed[i] as SignedOutput })),
      limit,
      async ({ f, s }) => {
        await sink.uploadFile(s, f.local, contentTypeFor(f.path), signal);
        this.files.set(f.path, f.size);
        this.uploads++;
      },
    );
    let offset = files.length;
    for (const phase of [texts, last]) {
      const base = offset;
      await mapLimit(
        phase.map((t, i) => ({ t, s: signed[base + i] as SignedOutput })),
        limit,
        async ({ t, s }) => {
          await sink.uploadBytes(s, t.bytes, contentTypeFor(t.path), signal);
          this.texts.set(t.path, t.text);
          this.uploads++;
        },
      );
      offset += phase.length;
    }
  }
}
