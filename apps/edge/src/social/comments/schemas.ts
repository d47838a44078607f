import { z } from "@hono/zod-openapi";
import { ListQuery, pageOf } from "../../lib/pagination";
import { entityId } from "../../lib/params";
import { MultiLineText, SingleLineText } from "../../lib/text";
import { normaliseForMatching } from "./text";

export const MAX_COMMENT_CHARS = 2000;
export const MAX_WATCHED_WORDS = 500;
export const MAX_WATCHED_WORD_CHARS = 50;

export const COMMENTS_MODES = ["open", "hold", "off"] as const;
export type CommentsMode = (typeof COMMENTS_MODES)[number];
const CommentsMode = z.enum(COMMENTS_MODES).openapi({
  description: "open: comments publish at once; hold: each waits for the owner's approval; off: no comments",
});

export const CommentListQuery = ListQuery.extend({
  sort: z
    .enum(["top", "newest"])
    .default("top")
    .openapi({ description: "top: most liked first (then newest); newest: latest first" }),
});

export const ReplyListQuery = ListQuery;

const CommentBody = MultiLineText(MAX_COMMENT_CHARS)
  .refine((s) => s.length > 0, "A comment cannot be empty")
  .openapi({
    description: `Plain text, 1–${MAX_COMMENT_CHARS} characters; @handle mentions a channel`,
    example: "Great cut at 2:31, @ada_films!",
  });

export const CommentCreate = z
  .strictObject({
    body: CommentBody,
    parentId: entityId("comment")
      .optional()
      .openapi({ description: "Reply to this top-level comment of the same video (one level deep)" }),
  })
  .openapi("CommentCreate");

export const CommentPatch = z.strictObject({ body: CommentBody }).openapi("CommentPatch");

const Author = z
  .object({
    profileId: z.string().nullable().openapi({ description: "null once the author's account is erased" }),
    name: z.string().openapi({ description: '"deleted user" once the author is erased' }),
    avatarUrl: z.string().nullable(),
  })
  .openapi("CommentAuthor");

export const CommentSchema = z
  .object({
    id: z.string(),
    videoId: z.string(),
    parentId: z.string().nullable(),
    author: Author.nullable().openapi({ description: "null for a removed comment" }),
    body: z.string().nullable().openapi({ description: "null for a removed comment (its replies stay)" }),
    status: z.enum(["published", "held", "removed"]).openapi({
      description:
        "held: waiting for review, visible to its author, the video's owner and staff only; " +
        "removed: deleted while it had replies",
    }),
    heldReason: z
      .string()
      .nullable()
      .openapi({ description: 'Why it is held ("video_hold", "watched_word:<word>"): owner and staff only' }),
    likeCount: z.number().int(),
    dislikeCount: z.number().int().nullable().openapi({ description: "The video's owner and staff only" }),
    replyCount: z.number().int().openapi({ description: "Published replies" }),
    edited: z.boolean(),
    editedAt: z.string().nullable(),
    pinned: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("Comment");
export type CommentView = z.infer<typeof CommentSchema>;

export const ReplyPage = pageOf("ReplyPage", CommentSchema);

/** A page of a video's comments, with the video's comment setting and count. */
export const CommentPage = pageOf("CommentPage", CommentSchema, {
  commentsMode: CommentsMode,
  commentCount: z.number().int().openapi({ description: "Published comments and replies of the video" }),
});

export const PinBody = z
  .strictObject({
    commentId: entityId("comment")
      .nullable()
      .openapi({ description: "A published top-level comment of this video, or null to unpin" }),
  })
  .openapi("PinnedCommentBody");
export const PinnedSchema = z
  .object({ videoId: z.string(), pinnedCommentId: z.string().nullable() })
  .openapi("PinnedComment");

export const CommentSettingsBody = z.strictObject({ mode: CommentsMode }).openapi("CommentSettingsBody");
export const CommentSettingsSchema = z
  .object({ videoId: z.string(), mode: CommentsMode })
  .openapi("CommentSettings");

/** Stored and compared normalised (NFKC, lower case, single spaces); a word or a short phrase. */
const WatchedWord = z
  .string()
  .overwrite(normaliseForMatching)
  .pipe(SingleLineText(1, MAX_WATCHED_WORD_CHARS))
  .refine((w) => /[\p{L}\p{N}]/u.test(w), "A watched word needs at least one letter or digit");

export const WatchedWordsBody = z
  .strictObject({
    words: z
      .array(WatchedWord)
      .max(MAX_WATCHED_WORDS)
      .overwrite((words) => [...new Set(words)])
      .openapi({
        description: `At most ${MAX_WATCHED_WORDS} words or phrases of 1–${MAX_WATCHED_WORD_CHARS} characters; matched case-insensitively as whole words. Replaces the list.`,
      }),
  })
  .openapi("WatchedWordsBody");
export const WatchedWordsSchema = z.object({ words: z.array(z.string()) }).openapi("WatchedWords");
