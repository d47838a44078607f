/** Shared bits of the creator pages (studio, upload, channel): types from the API schema, labels. */
import type { components } from "../api/schema";

export type Video = components["schemas"]["Video"];
export type VideoPatch = components["schemas"]["VideoPatch"];
export type Category = components["schemas"]["Category"];
export type Comment = components["schemas"]["Comment"];
export type Visibility = Video["visibility"];
export type Maturity = Video["maturity"];
export type CommentsMode = components["schemas"]["CommentSettings"]["mode"];

export const VISIBILITY_OPTIONS: { value: Visibility; label: string }[] = [
  { value: "public", label: "Public" },
  { value: "unlisted", label: "Unlisted (anyone with the link)" },
  { value: "private", label: "Private (only you)" },
  { value: "premium", label: "Premium (paid plans)" },
];

export const MATURITY_OPTIONS: { value: Maturity; label: string }[] = [
  { value: "kids", label: "Kids" },
  { value: "teen", label: "Teen" },
  { value: "adult", label: "Adult" },
];

const STATUS_LABELS: Record<Video["status"], string> = {
  awaiting_upload: "Waiting for the upload",
  uploaded: "Uploaded",
  queued: "Queued for processing",
  processing: "Processing",
  ready: "Ready",
  failed: "Failed",
  deleted: "Deleted",
};

export const statusLabel = (s: Video["status"]) => STATUS_LABELS[s];

/** States in which the ladder is still being made: the studio polls while any video is in one. */
export const isProcessing = (v: Pick<Video, "status">) =>
  v.status === "uploaded" || v.status === "queued" || v.status === "processing";

/** Tags typed as "a, b, c" → ["a", "b", "c"]. */
export const parseTags = (text: string) =>
  text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
