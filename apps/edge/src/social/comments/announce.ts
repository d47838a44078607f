/**
 * Events of a comment becoming public: `comment.created` (a top-level comment, for the video's
 * owner), `comment.replied` (a reply, for the parent's author) and `mention` (for the owners of the
 * channels it names). Sent only when a comment is published: at once, or when a held one is
 * approved. Event ids are derived from the comment, so a comment announced twice (approved after
 * an edit held it again, say) reaches the consumers once.
 */
import type { CommentCreated, CommentReplied, Mentioned } from "@marquee/shared";
import { eq, inArray } from "drizzle-orm";
import { channels, comments } from "../../db/schema";
import { publishEvent } from "../../events/publish";
import type { Services } from "../../services";
import type { VideoRow } from "../../videos/view";
import { excerpt, parseMentions } from "./text";

type CommentRow = typeof comments.$inferSelect;

export const eventId = (type: string, commentId: string) => `${type}:${commentId}`;

export async function announcePublished(s: Services, comment: CommentRow, video: VideoRow): Promise<void> {
  // An anonymised author has nobody to name; nothing is announced for them.
  if (comment.profileId === null) return;
  const authorProfileId = comment.profileId;
  const preview = excerpt(comment.body);
  const sends: Promise<unknown>[] = [];

  if (comment.parentId === null) {
    // Commenting on your own video is not news to you.
    if (comment.accountId !== video.accountId) {
      sends.push(
        publishEvent<CommentCreated>(
          s.env,
          "comment.created",
          {
            commentId: comment.id,
            videoId: video.id,
            videoOwnerAccountId: video.accountId,
            authorProfileId,
            excerpt: preview,
          },
          { id: eventId("comment.created", comment.id) },
        ),
      );
    }
  } else {
    const parent = await s.db
      .select({ profileId: comments.profileId })
      .from(comments)
      .where(eq(comments.id, comment.parentId))
      .get();
    if (parent?.profileId && parent.profileId !== authorProfileId) {
      sends.push(
        publishEvent<CommentReplied>(
          s.env,
          "comment.replied",
          {
            commentId: comment.id,
            parentId: comment.parentId,
            videoId: video.id,
            parentAuthorProfileId: parent.profileId,
            authorProfileId,
            excerpt: preview,
          },
          { id: eventId("comment.replied", comment.id) },
        ),
      );
    }
  }

  const handles = await mentionedHandles(s, comment);
  if (handles.length > 0) {
    sends.push(
      publishEvent<Mentioned>(
        s.env,
        "mention",
        { commentId: comment.id, videoId: video.id, authorProfileId, handles, excerpt: preview },
        { id: eventId("mention", comment.id) },
      ),
    );
  }

  // The comment is stored whatever happens here: a queue hiccup costs a notification, not the post.
  const results = await Promise.allSettled(sends);
  for (const r of results) {
    if (r.status === "rejected") {
      s.log("warn", { event: "comment-event-failed", commentId: comment.id, error: String(r.reason) });
    }
  }
}

/** Handles of existing channels the comment mentions, minus the author's own channel. */
async function mentionedHandles(s: Services, comment: CommentRow): Promise<string[]> {
  const parsed = parseMentions(comment.body);
  if (parsed.length === 0) return [];
  const found = await s.db
    .select({ handle: channels.handle, accountId: channels.accountId })
    .from(channels)
    .where(inArray(channels.handle, parsed));
  const existing = new Set(found.filter((c) => c.accountId !== comment.accountId).map((c) => c.handle));
  return parsed.filter((h) => existing.has(h));
}
