import { z } from "@hono/zod-openapi";
import { MATURITY_LEVELS, VIDEO_STATUSES, VISIBILITIES } from "@marquee/shared";
import { MultiLineText, SingleLineText } from "../lib/text";

export const MAX_TAGS = 15;
/** R2 (like S3): every part but the last is at least 5 MiB, at most 5 GiB; at most 10,000 parts. */
export const MIN_PART_BYTES = 5 * 1024 ** 2;
export const MAX_PART_BYTES = 5 * 1024 ** 3;
export const MAX_PARTS = 10_000;

/** A tag as stored: trimmed, lower case, inner whitespace collapsed to one space, 1–30 characters. */
export const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .overwrite((s) => s.replace(/\s+/g, " "))
  .pipe(SingleLineText(1, 30));

/** At most 15 tags; duplicates (after normalising) collapse into one. */
export const Tags = z
  .array(Tag)
  .max(MAX_TAGS)
  .overwrite((tags) => [...new Set(tags)])
  .openapi({
    description: "Each trimmed, lower-cased, inner whitespace collapsed, 1–30 characters; duplicates merged",
  });

const Title = SingleLineText(1, 100).openapi({ description: "1–100 characters, one line" });
const Description = MultiLineText(5000).openapi({ description: "At most 5,000 characters" });
const CategoryId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "A category id: letters, digits, - and _")
  .nullable()
  .openapi({ description: "An existing category's id (GET /api/v1/categories), or null for none" });
const Maturity = z.enum(MATURITY_LEVELS).openapi({
  description: "Content rating: kids ≤ teen ≤ adult; profiles below it never see the video (default adult)",
});
const Visibility = z.enum(VISIBILITIES).openapi({
  description: "private: the owner only; unlisted: anyone with the link; premium: plans that include it",
});

export const UploadRequest = z
  .strictObject({
    size: z
      .number()
      .int()
      .min(1, "An empty file is not a video")
      .openapi({ description: "Exact size of the file in bytes (at most MAX_UPLOAD_BYTES)" }),
    contentType: z
      .string()
      .trim()
      .toLowerCase()
      .regex(
        /^(video\/[a-z0-9][a-z0-9!#$&^_.+-]{0,99}|application\/octet-stream)$/,
        "A video/* type or application/octet-stream",
      )
      .openapi({ example: "video/mp4" }),
    partSize: z
      .number()
      .int()
      .min(MIN_PART_BYTES)
      .max(MAX_PART_BYTES)
      .optional()
      .openapi({
        description:
          "Ask for a multipart upload with parts of this many bytes (≥ 5 MiB), whatever the size. " +
          "Without it, files up to SINGLE_UPLOAD_MAX_BYTES get one PUT and larger ones 8 MiB+ parts.",
      }),
  })
  .openapi("UploadRequest");

/** A video's editable metadata: what create takes (with its upload) and patch changes. */
const VideoFields = z.strictObject({
  title: Title,
  description: Description.optional(),
  tags: Tags.optional(),
  categoryId: CategoryId.optional(),
  maturity: Maturity,
  visibility: Visibility,
});

export const VideoCreate = VideoFields.extend({
  maturity: Maturity.default("adult"),
  visibility: Visibility.default("public"),
  upload: UploadRequest,
}).openapi("VideoCreate");
export type VideoCreate = z.infer<typeof VideoCreate>;

export const VideoPatch = VideoFields.partial()
  .refine((p) => Object.keys(p).length > 0, "Send at least one field to change")
  .openapi("VideoPatch");
export type VideoPatch = z.infer<typeof VideoPatch>;

export const VideoSchema = z
  .object({
    id: z.string(),
    channelId: z.string(),
    title: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    categoryId: z.string().nullable(),
    visibility: z.enum(VISIBILITIES),
    status: z.enum(VIDEO_STATUSES),
    failureReason: z.string().nullable(),
    playable: z.boolean().openapi({ description: "True once every rung has its first segments" }),
    progress: z.number().int().openapi({ description: "Processing progress, 0–100" }),
    durationMs: z.number().int().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    publishedAt: z.string().nullable(),
    maturity: z.enum(MATURITY_LEVELS),
    likeCount: z.number().int(),
    dislikeCount: z.number().int(),
    commentCount: z.number().int(),
    viewCount: z.number().int(),
    chapters: z
      .array(
        z.object({ startSeconds: z.number().int(), title: z.string() }).openapi("Chapter", {
          description: "A chapter: where it starts in the content (ads not counted) and its title",
        }),
      )
      .openapi({
        description:
          "From `0:00 Title` lines in the description: the first at 0:00, at least two, ascending at least 10 s " +
          "apart, all before the end; otherwise none (docs/chapters.md)",
      }),
  })
  .openapi("Video");

const SignedPart = z.object({
  partNumber: z.number().int(),
  url: z.string(),
  size: z.number().int(),
});

export const UploadPlanSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("single"),
      url: z.string(),
      method: z.literal("PUT"),
      headers: z.record(z.string(), z.string()),
      expiresAt: z.string(),
    }),
    z.object({
      kind: z.literal("multipart"),
      uploadId: z.string(),
      partSize: z.number().int(),
      partCount: z.number().int(),
      parts: z.array(SignedPart),
      expiresAt: z.string(),
    }),
  ])
  .openapi("UploadPlan");

export const CreatedVideo = z
  .object({ video: VideoSchema, upload: UploadPlanSchema })
  .openapi("CreatedVideo");

export const UploadStatusSchema = z
  .object({
    kind: z.enum(["single", "multipart"]),
    status: z.enum(VIDEO_STATUSES),
    size: z.number().int(),
    contentType: z.string(),
    partSize: z.number().int().optional(),
    partCount: z.number().int().optional(),
    /** Headers the PUTs must carry (the signed content type of a single upload). */
    headers: z.record(z.string(), z.string()),
    uploadedParts: z.array(z.object({ partNumber: z.number().int(), size: z.number().int() })),
    missingParts: z.array(SignedPart).openapi({
      description:
        "Freshly signed URLs for the parts storage does not have yet (empty once the upload is over)",
    }),
    expiresAt: z.string().nullable(),
  })
  .openapi("UploadStatus");
