/** Shared bits of the creator pages (studio, upload, channel): types from the API schema, states. */
import type { components } from "../api/schema";
import type { Tone } from "../ui";

export type Video = components["schemas"]["Video"];
export type VideoPatch = components["schemas"]["VideoPatch"];
export type Category = components["schemas"]["Category"];
export type Comment = components["schemas"]["Comment"];
export type Visibility = Video["visibility"];
export type Maturity = Video["maturity"];
export type CommentsMode = components["schemas"]["CommentSettings"]["mode"];

/** In the order the forms offer them; the words are `studio:visibility.*` / `common:maturity.*`. */
export const VISIBILITIES: readonly Visibility[] = ["public", "unlisted", "private", "premium"];
export const MATURITIES: readonly Maturity[] = ["kids", "teen", "adult"];
export const COMMENT_MODES: readonly CommentsMode[] = ["open", "hold", "off"];

/** What a creator is told about a video's state (the API's seven collapse into these). */
export type StudioStatus = "uploading" | "queued" | "processing" | "ready" | "failed" | "deleted";

export function studioStatus(status: Video["status"]): StudioStatus {
  switch (status) {
    case "awaiting_upload":
      return "uploading";
    case "uploaded":
    case "queued":
      return "queued";
    default:
      return status;
  }
}

export const STATUS_TONE: Record<StudioStatus, Tone> = {
  uploading: "info",
  queued: "neutral",
  processing: "info",
  ready: "success",
  failed: "danger",
  deleted: "neutral",
};

/** States in which the ladder is still being made: the studio polls while any video is in one. */
export const isProcessing = (v: Pick<Video, "status">) =>
  v.status === "uploaded" || v.status === "queued" || v.status === "processing";

/**
 * The video's poster: studio list rows carry `posterUrl` (null until the video can play); a video
 * read on its own (`GET /videos/{id}`) has none, and the studio draws a placeholder.
 */
export function posterOf(video: Video): string | null {
  return "posterUrl" in video && typeof video.posterUrl === "string" ? video.posterUrl : null;
}

/** Tags typed as "a, b, c" → ["a", "b", "c"]. */
export const parseTags = (text: string) =>
  text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
