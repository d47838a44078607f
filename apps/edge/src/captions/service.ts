/**
 * A video's captions (docs/captions.md): a creator uploads WebVTT or SRT per language; it is checked
 * and kept as canonical WebVTT in R2, one object per upload (`captions.vtt` under a new revision);
 * the master playlist lists each language as an `EXT-X-MEDIA:TYPE=SUBTITLES` rendition whose media
 * playlist and segments the media route cuts from that object (playback/subtitles.ts).
 */
import { and, asc, count, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { captions } from "../db/schema";
import { AppError } from "../lib/errors";
import type { Services } from "../services";
import type { Actor } from "../types";
import { authorizeVideo, loadVideo } from "../videos/access";
import { captionText, parseCaptions, toWebVtt } from "./parse";

/** Languages one video may have captions in. */
export const MAX_LANGUAGES = 16;
/**
 * Characters of each language's text the search index takes: the index keeps a video's columns in
 * one row, and D1 refuses rows over 2 MB (16 languages × 32,000 characters × up to 3 bytes is 1.5 MB).
 */
export const SEARCH_TEXT_CHARS = 32_000;
/** The length of a subtitles segment: a player fetches the cues of the next minute or so at a time. */
export const SUBTITLE_SEGMENT_MS = 10_000;

export interface CaptionTrack {
  language: string;
  label: string;
  cueCount: number;
  updatedAt: string;
}

/** Where one upload of one language lives (relative to the video's `hls/` folder: `subs/<language>-<revision>/`). */
export const subsFolder = (language: string, revision: string) => `subs/${language}-${revision}/`;
const objectKey = (videoId: string, language: string, revision: string) =>
  `videos/${videoId}/hls/${subsFolder(language, revision)}captions.vtt`;

/** 12 hex digits: names one upload; never reused, so what a cache holds under it never changes. */
function newRevision(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A label's most characters: the API's own limit, which a default must keep too (it is sent back). */
export const MAX_LABEL_CHARS = 40;

/**
 * The language's own name for itself (`Deutsch`, `Português (Brasil)`), cut to MAX_LABEL_CHARS at a
 * code point ("English (South Georgia & South Sandwich Islands)" is longer), else its tag.
 */
export function defaultLabel(language: string): string {
  try {
    const name = new Intl.DisplayNames([language], { type: "language" }).of(language);
    if (name) {
      const points = Array.from(name.charAt(0).toLocaleUpperCase(language) + name.slice(1));
      return points.length <= MAX_LABEL_CHARS
        ? points.join("")
        : `${points.slice(0, MAX_LABEL_CHARS - 1).join("")}…`;
    }
  } catch {
    // an engine without the language's data: its tag says it
  }
  return language;
}

/** Cut at a code point, not inside a surrogate pair. */
function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

const trackOf = (row: typeof captions.$inferSelect): CaptionTrack => ({
  language: row.language,
  label: row.label,
  cueCount: row.cueCount,
  updatedAt: new Date(row.updatedAt).toISOString(),
});

/** Owner-only: what a studio lists and edits. Others' hidden videos are 404, as elsewhere. */
async function managedVideo(s: Services, actor: Actor, videoId: string) {
  const video = await loadVideo(s.db, videoId);
  authorizeVideo(actor, "video.manage", video);
  return video;
}

export async function listCaptions(s: Services, actor: Actor, videoId: string): Promise<CaptionTrack[]> {
  await managedVideo(s, actor, videoId);
  const rows = await s.db
    .select()
    .from(captions)
    .where(eq(captions.videoId, videoId))
    .orderBy(asc(captions.language));
  return rows.map(trackOf);
}

/** The tracks a master playlist lists, in a stable order. */
export function captionRenditions(db: Db, videoId: string) {
  return db
    .select({ language: captions.language, label: captions.label, revision: captions.revision })
    .from(captions)
    .where(eq(captions.videoId, videoId))
    .orderBy(asc(captions.language))
    .all();
}

/**
 * Adds or replaces `language`. The object is written before the row (a crash between leaves an
 * object nothing names, removed with the video's folder; never a row naming a missing object), and
 * the row moves from the revision read to the new one by compare-and-set: of two uploads at once
 * one wins, the other answers 409 and removes its own object.
 */
export async function putCaptions(
  s: Services,
  actor: Actor,
  videoId: string,
  language: string,
  body: Uint8Array,
  label: string | undefined,
): Promise<{ track: CaptionTrack; created: boolean }> {
  const video = await managedVideo(s, actor, videoId);
  if (video.kind === "ad") {
    throw new AppError("conflict", "An ad creative has no captions: viewers see it as it was reviewed");
  }
  if (video.durationMs === null) {
    throw new AppError(
      "conflict",
      "The video's length is not known yet; add captions once it has been processed",
    );
  }
  const parsed = parseCaptions(body, video.durationMs);
  if (!parsed.ok) {
    throw new AppError("validation_failed", parsed.reason, {
      errors: [{ path: "body", message: parsed.reason }],
    });
  }
  if (parsed.cues.length === 0) {
    const message = "The file has no cues with text";
    throw new AppError("validation_failed", message, { errors: [{ path: "body", message }] });
  }
  const existing = await s.db
    .select({
      language: captions.language,
      label: captions.label,
      revision: captions.revision,
      previousRevision: captions.previousRevision,
    })
    .from(captions)
    .where(eq(captions.videoId, videoId))
    .all();
  const current = existing.find((r) => r.language === language);
  if (!current && existing.length >= MAX_LANGUAGES) {
    throw new AppError("limit_reached", `A video has captions in at most ${MAX_LANGUAGES} languages`);
  }
  const revision = newRevision();
  const key = objectKey(videoId, language, revision);
  await s.env.MEDIA.put(key, toWebVtt(parsed.cues), {
    httpMetadata: { contentType: "text/vtt; charset=utf-8" },
  });
  const now = Date.now();
  const fields = {
    // A replace without a label keeps the one the track has.
    label: label?.trim() || current?.label || defaultLabel(language),
    revision,
    // The replaced revision stays served (players that loaded it play on); the one before it goes.
    previousRevision: current?.revision ?? null,
    cueCount: parsed.cues.length,
    text: cutText(captionText(parsed.cues), SEARCH_TEXT_CHARS),
    updatedAt: now,
  };
  const [row] = current
    ? await s.db
        .update(captions)
        .set(fields)
        .where(
          and(
            eq(captions.videoId, videoId),
            eq(captions.language, language),
            eq(captions.revision, current.revision),
          ),
        )
        .returning()
    : await s.db
        .insert(captions)
        .values({ videoId, language, createdAt: now, ...fields })
        .onConflictDoNothing()
        .returning();
  if (!row) {
    await removeObject(s, key);
    throw new AppError("conflict", "These captions changed while this upload was checked; try again");
  }
  if (!current && (await languageCount(s.db, videoId)) > MAX_LANGUAGES) {
    // New languages added at once each passed the count read above: past the limit, this one
    // takes itself back (two racing at the limit may both; neither is left over it).
    await s.db
      .delete(captions)
      .where(
        and(eq(captions.videoId, videoId), eq(captions.language, language), eq(captions.revision, revision)),
      );
    await removeObject(s, key);
    throw new AppError("limit_reached", `A video has captions in at most ${MAX_LANGUAGES} languages`);
  }
  if (current?.previousRevision)
    await removeObject(s, objectKey(videoId, language, current.previousRevision));
  return { track: trackOf(row), created: !current };
}

async function languageCount(db: Db, videoId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(captions).where(eq(captions.videoId, videoId));
  return row?.n ?? 0;
}

/** The language's WebVTT as stored (the studio's editor starts from it). */
export async function captionsFile(
  s: Services,
  actor: Actor,
  videoId: string,
  language: string,
): Promise<string> {
  await managedVideo(s, actor, videoId);
  const row = await s.db
    .select({ revision: captions.revision })
    .from(captions)
    .where(and(eq(captions.videoId, videoId), eq(captions.language, language)))
    .get();
  const object = row ? await s.env.MEDIA.get(objectKey(videoId, language, row.revision)) : null;
  if (!row || !object) throw new AppError("not_found", `The video has no captions in ${language}`);
  return object.text();
}

export async function deleteCaptions(
  s: Services,
  actor: Actor,
  videoId: string,
  language: string,
): Promise<void> {
  await managedVideo(s, actor, videoId);
  const [row] = await s.db
    .delete(captions)
    .where(and(eq(captions.videoId, videoId), eq(captions.language, language)))
    .returning({ revision: captions.revision, previousRevision: captions.previousRevision });
  if (!row) throw new AppError("not_found", `The video has no captions in ${language}`);
  await removeObject(s, objectKey(videoId, language, row.revision));
  if (row.previousRevision) await removeObject(s, objectKey(videoId, language, row.previousRevision));
}

/** Best effort: the row no longer names it, and the video's folder goes with the video. */
async function removeObject(s: Services, key: string): Promise<void> {
  await s.env.MEDIA.delete(key).catch((error) =>
    s.log("warn", { event: "caption-object-delete-failed", key, error: String(error) }),
  );
}

/** Reads the stored WebVTT of one revision back into cues (it is canonical: it parses). */
export async function storedCues(bucket: R2Bucket, videoId: string, language: string, revision: string) {
  const object = await bucket.get(objectKey(videoId, language, revision));
  if (!object) return null;
  const parsed = parseCaptions(new Uint8Array(await object.arrayBuffer()), null);
  return parsed.ok ? parsed.cues : null;
}
